//! The data subject rights of each regime and their response deadlines, kept as data in
//! `rights.tsv` (source and review date in its header).

use std::sync::OnceLock;

use crate::manifest::Deadline;
use crate::manifest::types::{RegimeName, RightKind};

/// One right of one regime, with its deadlines.
#[derive(Debug)]
pub struct RightLimit {
    pub regime: RegimeName,
    pub right: RightKind,
    /// The provisions that grant it and set its deadline.
    pub article: &'static str,
    /// Longest time to answer.
    pub sla: Option<Deadline>,
    /// Longest time to confirm receipt.
    pub confirm: Option<Deadline>,
    /// Most further time an extension may add.
    pub extension: Option<Deadline>,
    /// By when an extension must be announced.
    pub notify: Option<Deadline>,
    /// How well the bound is sourced: `P`, `M`, `S` or `?` (REGULATIONS.md marks).
    pub mark: &'static str,
}

const DATA: &str = include_str!("rights.tsv");

/// Every row of `rights.tsv`, in file order.
pub fn all() -> &'static [RightLimit] {
    static T: OnceLock<Vec<RightLimit>> = OnceLock::new();
    T.get_or_init(|| {
        let deadline = |s: &str| {
            (s != "-").then(|| {
                Deadline::parse(s).unwrap_or_else(|e| panic!("rights.tsv: bad deadline {s:?}: {e}"))
            })
        };
        DATA.lines()
            .filter(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with("regime\t"))
            .map(|l| {
                let f: Vec<&'static str> = l.split('\t').collect();
                assert_eq!(f.len(), 8, "rights.tsv: bad line {l:?}");
                let regime = RegimeName::ALL
                    .into_iter()
                    .find(|r| r.key() == f[0])
                    .unwrap_or_else(|| panic!("rights.tsv: unknown regime {:?}", f[0]));
                let right = RightKind::ALL
                    .into_iter()
                    .find(|r| r.key() == f[1])
                    .unwrap_or_else(|| panic!("rights.tsv: unknown right {:?}", f[1]));
                RightLimit {
                    regime,
                    right,
                    article: f[2],
                    sla: deadline(f[3]),
                    confirm: deadline(f[4]),
                    extension: deadline(f[5]),
                    notify: deadline(f[6]),
                    mark: f[7],
                }
            })
            .collect()
    })
}

/// The row of a right under a regime, if the regime grants it.
pub fn limit(regime: RegimeName, right: RightKind) -> Option<&'static RightLimit> {
    all()
        .iter()
        .find(|r| r.regime == regime && r.right == right)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_loads_and_holds_the_statutory_bounds() {
        assert!(all().len() >= 25);
        let gdpr = limit(RegimeName::Gdpr, RightKind::Access).unwrap();
        assert_eq!(gdpr.sla, Some(Deadline::parse("P1M").unwrap()));
        assert_eq!(gdpr.extension, Some(Deadline::parse("P2M").unwrap()));
        let ccpa = limit(RegimeName::Ccpa, RightKind::OptOutSaleShare).unwrap();
        assert_eq!(ccpa.sla, Some(Deadline::BusinessDays(15)));
        assert_eq!(
            limit(RegimeName::Ccpa, RightKind::Erasure).unwrap().confirm,
            Some(Deadline::BusinessDays(10))
        );
        assert!(limit(RegimeName::Gdpr, RightKind::OptOutSaleShare).is_none());
    }
}
