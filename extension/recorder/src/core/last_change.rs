//! One change per node from a batch of mutation records: the last one, in
//! its place. What a node looks like after the batch is what its last
//! change left, so the earlier ones need not be read or sent.

use super::fast_hash::FastHashMap;

/// `changes` (node id and what changed) with each id kept once, at the
/// place of its last change. Linear in the batch: dropping the earlier
/// places one by one made a batch of n changes cost n² comparisons.
pub fn last_per_node<T>(changes: impl IntoIterator<Item = (u32, T)>) -> Vec<(u32, T)> {
    let mut last: FastHashMap<u32, usize> = FastHashMap::default();
    let mut kept: Vec<Option<(u32, T)>> = Vec::new();
    for (id, change) in changes {
        if let Some(earlier) = last.insert(id, kept.len()) {
            kept[earlier] = None;
        }
        kept.push(Some((id, change)));
    }
    kept.into_iter().flatten().collect()
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
    fn a_large_batch_of_one_node_keeps_one_change() {
        let batch = (0..100_000).map(|i| (7, i));
        assert_eq!(last_per_node(batch), vec![(7, 99_999)]);
    }
}
