mod probe;
pub fn p() -> u8 { probe::X }
