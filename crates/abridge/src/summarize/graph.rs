//! Sentence-graph centrality shared by TextRank and LexRank: PageRank by power iteration over a
//! dense similarity matrix.
//!
//! Written here rather than taken from a graph crate because the whole job is a 20-line power
//! iteration over a small dense matrix; the graph crates on crates.io (petgraph and friends) offer
//! PageRank only over unweighted or adjacency-list graphs and would add a copy of the matrix.

/// Largest number of sentences (the first ones) that enter a graph: similarity is quadratic, so a
/// 50,000-sentence document is ranked on its first `GRAPH_CAP` candidates and stays near-linear.
/// News puts what matters first; sentences past the cap get centrality 0.
pub const GRAPH_CAP: usize = 400;

/// Stationary distribution of a random walk on the weighted graph `sim` (row-major `n × n`, zero
/// diagonal): with probability `damping` follow an edge in proportion to its weight, otherwise
/// jump to a uniformly random sentence. Rows with no edges jump uniformly. Returns scores summing
/// to 1 (empty for `n == 0`).
pub(crate) fn pagerank(sim: &[f64], n: usize, damping: f64) -> Vec<f64> {
    if n == 0 {
        return Vec::new();
    }
    let row_sums: Vec<f64> = (0..n)
        .map(|i| sim[i * n..(i + 1) * n].iter().sum())
        .collect();
    let uniform = 1.0 / n as f64;
    let mut rank = vec![uniform; n];
    let mut next = vec![0.0; n];
    for _ in 0..100 {
        // Mass from rows with no edges is spread uniformly.
        let dangling: f64 = (0..n)
            .filter(|&i| row_sums[i] <= 0.0)
            .map(|i| rank[i])
            .sum();
        next.fill((1.0 - damping) * uniform + damping * dangling * uniform);
        for i in 0..n {
            if row_sums[i] <= 0.0 {
                continue;
            }
            let share = damping * rank[i] / row_sums[i];
            let row = &sim[i * n..(i + 1) * n];
            for (j, &w) in row.iter().enumerate() {
                if w > 0.0 {
                    next[j] += share * w;
                }
            }
        }
        let delta: f64 = rank.iter().zip(&next).map(|(a, b)| (a - b).abs()).sum();
        std::mem::swap(&mut rank, &mut next);
        if delta < 1e-9 {
            break;
        }
    }
    rank
}

/// Graph centrality of `total` candidates from the similarity matrix of the first `n` of them:
/// PageRank scores, zero past `n`, scaled so the most central is 1.
pub(crate) fn centrality(sim: &[f64], n: usize, total: usize, damping: f64) -> Vec<f64> {
    let mut rank = pagerank(sim, n, damping);
    rank.resize(total, 0.0);
    scale_to_max(&mut rank);
    rank
}

/// Rescales scores so the largest is 1 (all zero stays zero).
pub(crate) fn scale_to_max(scores: &mut [f64]) {
    let max = scores.iter().copied().fold(0.0, f64::max);
    if max > 0.0 {
        for s in scores {
            *s /= max;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hub_of_a_star_ranks_first() {
        // 0 is linked to 1, 2 and 3; they are not linked to each other.
        let n = 4;
        let mut sim = vec![0.0; n * n];
        for j in 1..n {
            sim[j] = 1.0;
            sim[j * n] = 1.0;
        }
        let rank = pagerank(&sim, n, 0.85);
        assert!((rank.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        assert!(rank[0] > rank[1] && rank[1] > 0.0);
        assert!((rank[1] - rank[3]).abs() < 1e-12);
    }

    #[test]
    fn edgeless_graph_is_uniform() {
        let rank = pagerank(&[0.0; 9], 3, 0.85);
        for r in rank {
            assert!((r - 1.0 / 3.0).abs() < 1e-12);
        }
        assert!(pagerank(&[], 0, 0.85).is_empty());
    }
}
