//! Agreement between a metric and human judgements: ROC AUC, Pearson and Spearman.
//!
//! All three return `None` when they are undefined (an empty or one-class sample, a constant
//! series) rather than a number that would look like a result.

/// ROC AUC of `scores` for detecting the `positive` items: the probability that a random
/// positive scores higher than a random negative, ties counting one half.
pub fn roc_auc(scores: &[f64], positive: &[bool]) -> Option<f64> {
    if scores.len() != positive.len() {
        return None;
    }
    let ranks = ranks(scores);
    let n_pos = positive.iter().filter(|&&p| p).count();
    let n_neg = positive.len() - n_pos;
    if n_pos == 0 || n_neg == 0 {
        return None;
    }
    let rank_sum: f64 = ranks
        .iter()
        .zip(positive)
        .filter(|(_, p)| **p)
        .map(|(r, _)| r)
        .sum();
    let u = rank_sum - (n_pos * (n_pos + 1)) as f64 / 2.0;
    Some(u / (n_pos as f64 * n_neg as f64))
}

/// Pearson's correlation coefficient.
pub fn pearson(x: &[f64], y: &[f64]) -> Option<f64> {
    if x.len() != y.len() || x.len() < 2 {
        return None;
    }
    let n = x.len() as f64;
    let mx = x.iter().sum::<f64>() / n;
    let my = y.iter().sum::<f64>() / n;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        sxy += (a - mx) * (b - my);
        sxx += (a - mx) * (a - mx);
        syy += (b - my) * (b - my);
    }
    if sxx == 0.0 || syy == 0.0 {
        return None;
    }
    Some(sxy / (sxx * syy).sqrt())
}

/// Spearman's rank correlation (Pearson over average ranks, so ties are handled).
pub fn spearman(x: &[f64], y: &[f64]) -> Option<f64> {
    if x.len() != y.len() {
        return None;
    }
    pearson(&ranks(x), &ranks(y))
}

/// 1-based ranks, ties sharing their average rank.
fn ranks(values: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut ranks = vec![0.0; values.len()];
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && values[order[j + 1]] == values[order[i]] {
            j += 1;
        }
        let rank = (i + j) as f64 / 2.0 + 1.0;
        for &k in &order[i..=j] {
            ranks[k] = rank;
        }
        i = j + 1;
    }
    ranks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auc_matches_hand_counts() {
        // Pairs (pos, neg): (0.9,0.1) win, (0.9,0.5) win, (0.4,0.1) win, (0.4,0.5) loss → 3/4.
        let auc = roc_auc(&[0.9, 0.4, 0.1, 0.5], &[true, true, false, false]).unwrap();
        assert!((auc - 0.75).abs() < 1e-12);
        // Ties count one half.
        let auc = roc_auc(&[0.5, 0.5], &[true, false]).unwrap();
        assert!((auc - 0.5).abs() < 1e-12);
        assert_eq!(roc_auc(&[0.1, 0.2], &[true, true]), None);
    }

    #[test]
    fn correlations_of_known_series() {
        let x = [1.0, 2.0, 3.0, 4.0];
        let y = [2.0, 4.0, 6.0, 8.5];
        assert!((spearman(&x, &y).unwrap() - 1.0).abs() < 1e-12);
        assert!(pearson(&x, &y).unwrap() > 0.99);
        let rev: Vec<f64> = y.iter().rev().copied().collect();
        assert!((spearman(&x, &rev).unwrap() + 1.0).abs() < 1e-12);
        assert_eq!(pearson(&x, &[1.0; 4]), None);
    }
}
