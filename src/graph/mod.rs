//! The data-flow graph: data subjects, datasets, systems and recipients as nodes, flows as
//! edges carrying categories and purposes.
//!
//! Categories are propagated once, over the strongly connected components in topological
//! order, so the cost is linear in the size of the graph times the number of categories
//! (as 64-bit words). Cycles are allowed: inside a component, propagation runs to a fixed
//! point.

mod bitset;

pub use bitset::CatSet;

use std::collections::{HashMap, VecDeque};

use petgraph::algo::tarjan_scc;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;

use crate::manifest::Country;
use crate::model::{FlowR, Model, NodeRef};
use crate::taxonomy::CatId;

/// The data-flow graph of a model, with categories propagated.
#[derive(Debug)]
pub struct DataFlowGraph {
    pub graph: DiGraph<NodeRef, usize>,
    index: foldhash::HashMap<NodeRef, NodeIndex>,
    /// Categories held by or reaching each node (indexed like `graph` nodes).
    reach: Vec<CatSet>,
    /// Effective categories of each flow (indexed like `model.flows`).
    flow_cats: Vec<CatSet>,
    /// Whether data subject to the GDPR (from the EEA) reaches each node.
    eea_origin: Vec<bool>,
}

impl DataFlowGraph {
    pub fn build(m: &Model) -> DataFlowGraph {
        let n_cats = m.taxonomy.len();
        let mut graph = DiGraph::new();
        let mut index = foldhash::HashMap::default();
        let mut add = |n: NodeRef, graph: &mut DiGraph<NodeRef, usize>| {
            *index.entry(n).or_insert_with(|| graph.add_node(n))
        };
        for i in 0..m.subjects.len() {
            add(NodeRef::Subject(i), &mut graph);
        }
        for i in 0..m.datasets.len() {
            add(NodeRef::Dataset(i), &mut graph);
        }
        for i in 0..m.systems.len() {
            add(NodeRef::System(i), &mut graph);
        }
        for i in 0..m.recipients.len() {
            add(NodeRef::Recipient(i), &mut graph);
        }
        for (fi, f) in m.flows.iter().enumerate() {
            let a = add(f.from, &mut graph);
            let b = add(f.to, &mut graph);
            graph.add_edge(a, b, fi);
        }

        // What each dataset stores, the union of its fields' categories: one pass over every
        // field, in parallel (a large project has hundreds of thousands).
        use rayon::prelude::*;
        let mut stored: Vec<CatSet> = m
            .datasets
            .par_iter()
            .map(|d| {
                let mut s = CatSet::new(n_cats);
                for f in &d.fields {
                    for c in &f.categories {
                        s.insert(c.cat);
                    }
                }
                s
            })
            .collect();
        let mut reach = Vec::with_capacity(graph.node_count());
        let mut eea_origin = Vec::with_capacity(graph.node_count());
        for ni in graph.node_indices() {
            let n = graph[ni];
            reach.push(match n {
                NodeRef::Dataset(d) => std::mem::replace(&mut stored[d], CatSet::new(0)),
                _ => CatSet::new(n_cats),
            });
            eea_origin.push(match n {
                NodeRef::Subject(s) => m.subjects[s].decl.lives_in.iter().any(|p| p.in_eea()),
                other => m.node_country(other).is_some_and(|c| c.in_eea()),
            });
        }
        let mut flow_cats = vec![CatSet::new(n_cats); m.flows.len()];
        // Declared categories are fixed; undeclared ones follow the source.
        for (fi, f) in m.flows.iter().enumerate() {
            if let Some(cs) = &f.categories {
                for c in cs {
                    flow_cats[fi].insert(c.cat);
                }
            } else if let (NodeRef::Subject(_), NodeRef::Dataset(_)) = (f.from, f.to) {
                // Collection from the subject: what the dataset stores.
                let to = index[&f.to];
                flow_cats[fi] = reach[to.index()].clone();
            }
        }

        // tarjan_scc returns components in reverse topological order.
        let mut sccs = tarjan_scc(&graph);
        sccs.reverse();
        for comp in sccs {
            loop {
                let mut changed = false;
                for &ni in &comp {
                    for e in graph.edges_directed(ni, petgraph::Direction::Incoming) {
                        let (src, fi) = (e.source(), *e.weight());
                        let f: &FlowR = &m.flows[fi];
                        if f.categories.is_none() && !matches!(f.from, NodeRef::Subject(_)) {
                            flow_cats[fi].union_with(&reach[src.index()]);
                        }
                        changed |= reach[ni.index()].union_with(&flow_cats[fi]);
                        if eea_origin[src.index()] && !eea_origin[ni.index()] {
                            eea_origin[ni.index()] = true;
                            changed = true;
                        }
                    }
                }
                if comp.len() == 1 && !changed {
                    break;
                }
                if !changed {
                    break;
                }
            }
        }

        DataFlowGraph {
            graph,
            index,
            reach,
            flow_cats,
            eea_origin,
        }
    }

    /// Categories held by or reaching a node.
    pub fn categories_at(&self, n: NodeRef) -> &CatSet {
        &self.reach[self.index[&n].index()]
    }

    /// Effective categories of a flow: declared, or all of its source's.
    pub fn flow_categories(&self, flow: usize) -> &CatSet {
        &self.flow_cats[flow]
    }

    /// Whether a flow is an onward flow: its source is a recipient.
    pub fn is_onward(&self, m: &Model, flow: usize) -> bool {
        matches!(m.flows[flow].from, NodeRef::Recipient(_))
    }

    /// GDPR Chapter V transfer (EDPB Guidelines 05/2021): data that came from the EEA, or
    /// is held there, is disclosed to a destination outside the EEA. Onward transfers from a
    /// third-country recipient count. Collection directly from the data subject does not.
    pub fn is_gdpr_transfer(&self, m: &Model, flow: usize) -> bool {
        let f = &m.flows[flow];
        if matches!(f.from, NodeRef::Subject(_)) {
            return false;
        }
        let Some(dest) = m.node_country(f.to) else {
            return false;
        };
        if dest.in_eea() {
            return false;
        }
        let src = self.index[&f.from];
        self.eea_origin[src.index()] || m.node_country(f.from).is_some_and(|c: &Country| c.in_eea())
    }

    /// PIPL export: data leaves mainland China (Hong Kong, Macao and Taiwan are outside).
    pub fn is_pipl_export(&self, m: &Model, flow: usize) -> bool {
        is_pipl_export(m, flow)
    }

    /// The countries a path of flows crosses, in order and without repeats: the source's
    /// country, then each destination's (nodes without a declared country are skipped).
    pub fn countries_along<'m>(&self, m: &'m Model, path: &[usize]) -> Vec<&'m Country> {
        let mut out: Vec<&Country> = Vec::new();
        let mut push = |c: Option<&'m Country>| {
            if let Some(c) = c
                && out.last() != Some(&c)
            {
                out.push(c);
            }
        };
        if let Some(&first) = path.first() {
            push(m.node_country(m.flows[first].from));
        }
        for &fi in path {
            push(m.node_country(m.flows[fi].to));
        }
        out
    }

    /// The flows, in order, along one shortest path by which `cat` reaches `to`; empty when
    /// the node holds it itself or it does not reach.
    pub fn path_of(&self, m: &Model, to: NodeRef, cat: CatId) -> Vec<usize> {
        let Some(&target) = self.index.get(&to) else {
            return Vec::new();
        };
        let mut prev: HashMap<NodeIndex, (NodeIndex, usize)> = HashMap::new();
        let mut queue = VecDeque::from([target]);
        let mut origin = None;
        while let Some(n) = queue.pop_front() {
            if let NodeRef::Dataset(d) = self.graph[n]
                && m.datasets[d]
                    .fields
                    .iter()
                    .any(|f| f.categories.iter().any(|c| c.cat == cat))
            {
                origin = Some(n);
                break;
            }
            for e in self.graph.edges_directed(n, petgraph::Direction::Incoming) {
                let fi = *e.weight();
                if self.flow_cats[fi].contains(cat)
                    && e.source() != target
                    && !prev.contains_key(&e.source())
                {
                    prev.insert(e.source(), (n, fi));
                    queue.push_back(e.source());
                }
            }
        }
        let mut out = Vec::new();
        let mut cur = match origin {
            Some(o) => o,
            None => return out,
        };
        while cur != target {
            let Some(&(next, fi)) = prev.get(&cur) else {
                break;
            };
            out.push(fi);
            cur = next;
        }
        out
    }
}

/// PIPL export: data leaves mainland China (Hong Kong, Macao and Taiwan are outside). The
/// test of [`DataFlowGraph::is_pipl_export`], for code that has the model but no graph (the
/// notice checklists), so that the rules and the notices agree. A dataset without a country
/// is where its system is.
pub fn is_pipl_export(m: &Model, flow: usize) -> bool {
    let f = &m.flows[flow];
    let (Some(src), Some(dest)) = (m.node_country(f.from), m.node_country(f.to)) else {
        return false;
    };
    src.is_mainland_china() && !dest.is_mainland_china()
}
