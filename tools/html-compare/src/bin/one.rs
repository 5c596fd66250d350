//! Debugging aid: runs our extractor on the pages of DATA.jsonl whose id starts with PREFIX.
use abridge::Extractor;
use std::io::BufRead;
fn main() {
    let a: Vec<String> = std::env::args().collect();
    let f = std::io::BufReader::new(std::fs::File::open(&a[1]).unwrap());
    for line in f.lines() {
        let v: serde_json::Value = serde_json::from_str(&line.unwrap()).unwrap();
        if v["id"].as_str().unwrap().starts_with(&a[2]) {
            match abridge::extract::Html::default().extract(v["html"].as_str().unwrap().as_bytes())
            {
                Ok(d) => {
                    println!("{}", d.text());
                    println!("{:#?}", d.metadata);
                }
                Err(e) => println!("ERROR {e}"),
            }
        }
    }
}
