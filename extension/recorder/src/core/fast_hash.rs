//! A hash for the recorder's cache of the attribute names met so far, in
//! 32-bit arithmetic. (A mutation batch's changes are matched up by
//! sorting instead: see `last_change`.)
//!
//! The standard library's SipHash works on 64-bit words, which wasm2js
//! (the build for pages whose CSP forbids WebAssembly) turns into pairs of
//! 32-bit numbers and helper calls on every step. The keys are attribute
//! names: a page could only slow its own recording down by choosing
//! colliding names, and the cache is bounded.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A multiplicative hash over 32-bit words (the golden-ratio constant).
#[derive(Default, Clone, Copy)]
pub struct FastHasher {
    hash: u32,
}

impl FastHasher {
    fn add(&mut self, word: u32) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(0x9e37_79b9);
    }
}

impl Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(4);
        for word in &mut words {
            self.add(u32::from_le_bytes([word[0], word[1], word[2], word[3]]));
        }
        let mut rest = [0u8; 4];
        let tail = words.remainder();
        rest[..tail.len()].copy_from_slice(tail);
        self.add(u32::from_le_bytes(rest) ^ ((tail.len() as u32) << 24));
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u32::from(i));
    }

    fn write_u32(&mut self, i: u32) {
        self.add(i);
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u32);
    }

    /// The 32-bit hash in both halves: the table takes its bucket from the
    /// low bits and its tag from the top seven, of 32 bits on wasm32 and of
    /// 64 natively.
    fn finish(&self) -> u64 {
        (u64::from(self.hash) << 32) | u64::from(self.hash)
    }
}

/// A `HashMap` hashed with [`FastHasher`].
pub type FastHashMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;
    use std::hash::{BuildHasher, Hash};

    fn hash_of(value: impl Hash) -> u64 {
        BuildHasherDefault::<FastHasher>::default().hash_one(value)
    }

    #[test]
    fn attribute_names_spread_over_the_table() {
        let names = [
            "class",
            "id",
            "style",
            "href",
            "src",
            "alt",
            "title",
            "type",
            "name",
            "value",
            "data-c",
            "data-state",
            "aria-label",
            "role",
            "width",
            "height",
            "viewBox",
            "d",
        ];
        let low_bits: HashSet<u64> = names.iter().map(|n| hash_of(n) & 0xff).collect();
        assert!(low_bits.len() >= names.len() - 2, "{low_bits:?}");
        let tags: HashSet<u64> = names.iter().map(|n| hash_of(n) >> 57).collect();
        assert!(tags.len() >= names.len() / 2, "{tags:?}");
    }

    #[test]
    fn names_that_differ_only_in_length_hash_apart() {
        assert_ne!(hash_of("ab"), hash_of("ab\0"));
        assert_ne!(hash_of((1u32, "x")), hash_of((1u32, "x\0")));
    }

    #[test]
    fn a_map_works_as_a_map() {
        let mut map: FastHashMap<(u32, String), u32> = FastHashMap::default();
        for i in 0..2000u32 {
            map.insert((i, format!("data-{}", i % 7)), i);
        }
        assert_eq!(map.len(), 2000);
        assert_eq!(map.get(&(1234, "data-2".to_string())), Some(&1234));
    }
}
