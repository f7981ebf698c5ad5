//! One change per node from a batch of mutation records: the last one, in
//! its place. What a node looks like after the batch is what its last
//! change left, so the earlier ones need not be read or sent.

/// `changes` (node id and what changed) with each id kept once, at the
/// place of its last change. In O(n log n): dropping the earlier places
/// one by one made a batch of n changes cost n² comparisons, and a hash
/// map's table works on 64-bit words, which the wasm2js build turns into
/// helper calls (`__wasm_i64_mul` and the table's probing showed in CPU
/// profiles of warm batches of text changes).
pub fn last_per_node<T>(changes: impl IntoIterator<Item = (u32, T)>) -> Vec<(u32, T)> {
    let changes: Vec<(u32, T)> = changes.into_iter().collect();
    let keep = last_of_each(changes.iter().map(|(id, _)| *id));
    changes
        .into_iter()
        .zip(keep)
        .filter_map(|(change, keep)| keep.then_some(change))
        .collect()
}

/// For each key, in order: is it the last with that key?
pub fn last_of_each<K: Ord>(keys: impl IntoIterator<Item = K>) -> Vec<bool> {
    let mut order: Vec<(K, usize)> = keys.into_iter().zip(0..).collect();
    let mut keep = vec![false; order.len()];
    // By key, then by place: the last of each run of equal keys is kept.
    order.sort_unstable();
    let mut order = order.into_iter().peekable();
    while let Some((key, place)) = order.next() {
        if order.peek().is_none_or(|(next, _)| *next != key) {
            keep[place] = true;
        }
    }
    keep
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_node_keeps_its_last_change_in_its_place() {
        let batch = [(1, "a"), (2, "b"), (1, "c"), (3, "d"), (2, "e")];
        assert_eq!(last_per_node(batch), vec![(1, "c"), (3, "d"), (2, "e")]);
    }

    #[test]
    fn the_last_of_each_key_is_marked() {
        let keys = ["b", "a", "b", "c", "a"];
        assert_eq!(last_of_each(keys), [false, false, true, true, true]);
    }

    #[test]
    fn a_large_batch_of_one_node_keeps_one_change() {
        let batch = (0..100_000).map(|i| (7, i));
        assert_eq!(last_per_node(batch), vec![(7, 99_999)]);
    }
}
