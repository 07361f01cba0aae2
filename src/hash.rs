//! A stable 64-bit FNV-1a hash: splits, caches and shards must not depend on
//! Rust's randomised `HashMap` hasher or on the platform.

/// FNV-1a of the UTF-8 bytes of `s`.
pub fn stable_hash(s: &str) -> u64 {
    stable_hash_bytes(s.as_bytes())
}

/// FNV-1a of `bytes`.
pub fn stable_hash_bytes(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in bytes {
        h ^= *b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    h
}

#[cfg(test)]
mod tests {
    #[test]
    fn matches_the_reference_fnv1a_values() {
        // Reference values of 64-bit FNV-1a.
        assert_eq!(super::stable_hash(""), 0xcbf29ce484222325);
        assert_eq!(super::stable_hash("abc"), 0xe71fa2190541574b);
    }
}
