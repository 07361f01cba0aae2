use framelens::encode::{import_e5, BertEncoder, Encoder};
fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args[1].as_str() {
        "import" => {
            let s = import_e5::import(args[2].as_ref(), args[3].as_ref()).unwrap();
            eprintln!("{s:?}");
        }
        _ => {
            let enc = BertEncoder::load(args[2].as_ref()).unwrap();
            let texts: Vec<&str> = args[3..].iter().map(|s| s.as_str()).collect();
            for t in &texts { eprintln!("{:?}", enc.token_ids(t).unwrap()); }
            let e = enc.embed(&texts).unwrap();
            for v in e { println!("{:?}", &v[..8]); }
        }
    }
}
