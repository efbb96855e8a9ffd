//! "Did you mean" suggestions for misspelt keys, ids and values.

/// The candidate closest to `word`, if it is close enough to be a likely typo
/// (normalised Damerau–Levenshtein similarity of at least 0.7, or a case-only difference).
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = word.to_lowercase();
    let mut best: Option<(&'a str, f64)> = None;
    for c in candidates {
        let score = if c.to_lowercase() == lower {
            1.0
        } else {
            strsim::normalized_damerau_levenshtein(&lower, &c.to_lowercase())
        };
        // Ties go to the alphabetically first candidate, so the suggestion does not depend
        // on the order the candidates come in.
        if score >= 0.7 && best.is_none_or(|(b_c, b)| score > b || (score == b && c < b_c)) {
            best = Some((c, score));
        }
    }
    best.map(|(c, _)| c)
}
