//! A fixed-size set of category ids, one bit each.

use crate::taxonomy::CatId;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CatSet {
    words: Vec<u64>,
}

impl CatSet {
    pub fn new(n: usize) -> CatSet {
        CatSet {
            words: vec![0; n.div_ceil(64)],
        }
    }
    pub fn insert(&mut self, c: CatId) -> bool {
        let (w, b) = (c.0 as usize / 64, c.0 % 64);
        let had = self.words[w] & (1 << b) != 0;
        self.words[w] |= 1 << b;
        !had
    }
    pub fn contains(&self, c: CatId) -> bool {
        let (w, b) = (c.0 as usize / 64, c.0 % 64);
        self.words.get(w).is_some_and(|x| x & (1 << b) != 0)
    }
    /// Add every member of `other`; true when something was added.
    pub fn union_with(&mut self, other: &CatSet) -> bool {
        let mut changed = false;
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            let n = *a | *b;
            changed |= n != *a;
            *a = n;
        }
        changed
    }
    pub fn is_empty(&self) -> bool {
        self.words.iter().all(|w| *w == 0)
    }
    pub fn iter(&self) -> impl Iterator<Item = CatId> + '_ {
        self.words.iter().enumerate().flat_map(|(wi, &w)| {
            (0..64)
                .filter(move |b| w & (1u64 << b) != 0)
                .map(move |b| CatId((wi * 64 + b) as u32))
        })
    }
}
