//! In-process throughput of the batch record work: the articles of a JSONL file are read into
//! memory first, then turned into brief records (JSON built, then dropped) chunk by chunk on
//! rayon's pool, exactly as `abridge batch` does minus its file I/O. The baseline for the CLI's
//! overhead in `scripts/bench/batch.sh`.
//!
//! Run: `RAYON_NUM_THREADS=2 cargo run --release -p abridge --example batch_throughput -- corpus.jsonl [CHUNK]`

use std::time::Instant;

use abridge::batch::BatchOptions;
use abridge::batch::format::RecordReader;
use abridge::batch::record::{BriefOptions, Briefer, Columns};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .ok_or("usage: batch_throughput CORPUS.jsonl [CHUNK]")?;
    let chunk: usize = args.next().map_or(Ok(512), |c| c.parse())?;
    let options = BatchOptions {
        chunk_lines: chunk,
        ..BatchOptions::default()
    };
    let file = std::fs::File::open(&path)?;
    let mut reader = RecordReader::jsonl(Box::new(file), None, Columns::default(), options);
    let mut chunks = Vec::new();
    while let Some(c) = reader.next_chunk()? {
        chunks.push(c);
    }
    let briefer = Briefer::new(BriefOptions::default())?;
    let start = Instant::now();
    let (mut records, mut bytes, mut errors) = (0usize, 0usize, 0usize);
    for c in chunks {
        for r in briefer.records(c) {
            records += 1;
            bytes += r.json.len();
            errors += usize::from(r.error.is_some());
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "records={records} errors={errors} output_bytes={bytes} seconds={secs:.3} per_second={:.1} threads={}",
        records as f64 / secs,
        rayon::current_num_threads()
    );
    Ok(())
}
