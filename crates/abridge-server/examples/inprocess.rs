//! In-process throughput of `POST /v1/summarize`'s work, without HTTP: parse the request body,
//! run it (extract, summarize, check), serialize the response. The load benchmark
//! (`scripts/bench/load.sh`) compares it with the same bodies sent over HTTP.
//!
//! ```text
//! cargo run --release -p abridge-server --example inprocess -- BODY.json [SECONDS]
//! ```
//!
//! Prints one line per thread count (1, then every core): requests, seconds, requests/s.

use std::time::{Duration, Instant};

use abridge::faithful::Checker;
use abridge_server::api::{SummarizeJob, SummarizeRequest};

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .ok_or_else(|| anyhow::anyhow!("usage: inprocess BODY.json [SECONDS]"))?;
    let seconds: f64 = args.next().map_or(Ok(5.0), |s| s.parse())?;
    let body = std::fs::read(&path)?;
    let checker = Checker::default();
    let once = || -> anyhow::Result<usize> {
        let req: SummarizeRequest = serde_json::from_slice(&body)?;
        let out = SummarizeJob::new(req)
            .and_then(|job| job.run(&checker))
            .map_err(|e| anyhow::anyhow!("{e:?}"))?;
        let json = serde_json::to_vec(&out)?;
        anyhow::ensure!(!out.sentences.is_empty(), "empty brief");
        Ok(json.len())
    };
    let bytes = once()?;
    let cores = std::thread::available_parallelism().map_or(2, usize::from);
    println!("body {path}: {} bytes in, {bytes} bytes out", body.len());
    for threads in [1, cores] {
        let limit = Duration::from_secs_f64(seconds);
        let start = Instant::now();
        let done: usize = std::thread::scope(|scope| {
            let workers: Vec<_> = (0..threads)
                .map(|_| {
                    scope.spawn(|| {
                        let mut n = 0usize;
                        while start.elapsed() < limit {
                            if once().is_ok() {
                                n += 1;
                            }
                        }
                        n
                    })
                })
                .collect();
            workers.into_iter().map(|w| w.join().unwrap_or(0)).sum()
        });
        let secs = start.elapsed().as_secs_f64();
        println!(
            "in-process threads={threads} requests={done} seconds={secs:.2} rps={:.1}",
            done as f64 / secs
        );
    }
    Ok(())
}
