//! The sans-I/O half of `scan`: which cipher suites (or groups, or signature schemes) to offer
//! next, and what the answers add up to. Elimination offers a set, records what the server
//! picked, removes it and offers the rest again until the server refuses; the sequence of picks
//! is the server's order when the server imposes one.
//!
//! Nothing here opens sockets or knows about time: [`super::scan`] drives these plans over
//! [`super::driver`] and feeds the answers back.

use crate::registry::{self, Kx, ProtocolVersion};

/// Most suites in one scan hello: some servers and middleboxes fail on 128 or more.
pub const MAX_SUITES: usize = 127;

/// On the slow path a run with more candidates than this is split in two after each pick, so
/// that the halves are eliminated in parallel.
pub const SPLIT_ABOVE: usize = 6;

/// Whether a suite uses ChaCha20-Poly1305 (servers may prioritise it when the client lists it
/// first, so scan hellos never start with one unless they must).
pub fn is_chacha(id: u16) -> bool {
    registry::suite(id).is_some_and(|s| s.iana.contains("CHACHA20"))
}

/// Every suite of the registry that can be negotiated at `v`, in tiers (see [`tier`]), each
/// strongest first. Signalling values and `TLS_NULL_WITH_NULL_NULL` are left out; everything
/// else stays: legacy, export, anonymous, NULL, PSK, SRP, Kerberos, GOST, Camellia, ARIA, CCM,
/// ChaCha20.
pub fn candidate_tiers(v: ProtocolVersion) -> Vec<Vec<u16>> {
    let mut suites: Vec<&registry::SuiteInfo> = registry::suites_for(v)
        .filter(|s| s.id != 0x0000 && s.kx != Kx::Null)
        .collect();
    suites.sort_by(|a, b| {
        tier(a)
            .cmp(&tier(b))
            .then(b.security.cmp(&a.security))
            .then(b.bits.cmp(&a.bits))
    });
    let mut out: Vec<Vec<u16>> = Vec::new();
    let mut last = None;
    for s in suites {
        if last != Some(tier(s)) {
            out.push(Vec::new());
            last = Some(tier(s));
        }
        if let Some(t) = out.last_mut() {
            t.push(s.id);
        }
    }
    out
}

/// Every candidate of [`candidate_tiers`] in one list.
pub fn candidates(v: ProtocolVersion) -> Vec<u16> {
    candidate_tiers(v).concat()
}

/// Which hello a suite goes in first: 0 for the ciphers deployed servers use (AES, ChaCha20,
/// 3DES, RC4, DES, RC2, NULL with certificate or anonymous key exchange: 113 suites at TLS 1.2,
/// so one hello holds them and the server's order comes out of one elimination), 1 for the
/// other credential-free ones (Camellia, ARIA, SEED, IDEA), 2 for those needing credentials
/// (PSK, SRP, Kerberos, ECCPWD) and GOST.
pub fn tier(s: &registry::SuiteInfo) -> u8 {
    let credentials = matches!(
        s.kx,
        Kx::Psk
            | Kx::DhePsk
            | Kx::EcdhePsk
            | Kx::RsaPsk
            | Kx::Krb5
            | Kx::Srp
            | Kx::Eccpwd
            | Kx::Gost
    );
    let family = s.enc.split('_').next().unwrap_or("");
    if credentials {
        2
    } else if matches!(
        family,
        "AES" | "CHACHA20" | "3DES" | "RC4" | "DES" | "DES40" | "RC2" | "NULL"
    ) {
        0
    } else {
        1
    }
}

/// The chunks a version's candidates are offered in: the first tier in hellos of at most
/// `size` suites, then the later tiers together (their suites are rarely accepted, so fewer
/// hellos mean fewer refusals to collect).
pub fn tiered_chunks(tiers: &[Vec<u16>], size: usize) -> Vec<Vec<u16>> {
    let mut out = tiers.first().map(|t| chunks(t, size)).unwrap_or_default();
    let rest: Vec<u16> = tiers.iter().skip(1).flatten().copied().collect();
    out.extend(chunks(&rest, size));
    out
}

/// `list` cut into chunks of at most `size`.
pub fn chunks(list: &[u16], size: usize) -> Vec<Vec<u16>> {
    list.chunks(size.max(1)).map(<[u16]>::to_vec).collect()
}

/// `list` dealt round-robin into `n` lists (each keeps the order of `list`).
pub fn deal(list: &[u16], n: usize) -> Vec<Vec<u16>> {
    let n = n.max(1);
    let mut out = vec![Vec::new(); n.min(list.len())];
    for (i, &x) in list.iter().enumerate() {
        if let Some(o) = out.get_mut(i % n) {
            o.push(x);
        }
    }
    out
}

/// Moves ChaCha20 suites away from the front of an offer when anything else is offered.
pub fn arrange(offer: &mut Vec<u16>) {
    if offer.first().is_some_and(|&s| is_chacha(s))
        && let Some(pos) = offer.iter().position(|&s| !is_chacha(s))
    {
        let s = offer.remove(pos);
        offer.insert(0, s);
    }
}

/// What one answer of an elimination amounted to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// The server picked this value (a suite, group or signature scheme).
    Picked(u16),
    /// The server refused (an alert, a close, a reset): nothing offered is acceptable.
    Refused,
}

/// One elimination over a list of candidates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    /// Candidates not picked yet, in offer order.
    pub remaining: Vec<u16>,
    /// Picks in the order the server made them.
    pub picked: Vec<u16>,
    /// Values the server picked that were not in the offer.
    pub unoffered: Vec<u16>,
    /// The server refused the last offer (or picked something unoffered): the run is over.
    pub finished: bool,
}

impl Run {
    /// A run over `candidates`.
    pub fn new(candidates: Vec<u16>) -> Run {
        Run {
            finished: candidates.is_empty(),
            remaining: candidates,
            picked: Vec::new(),
            unoffered: Vec::new(),
        }
    }

    /// What to offer next; `None` when the run is over.
    pub fn offer(&self) -> Option<Vec<u16>> {
        if self.finished {
            return None;
        }
        let mut o = self.remaining.clone();
        arrange(&mut o);
        Some(o)
    }

    /// Records the answer to [`Run::offer`].
    pub fn on_answer(&mut self, a: Answer) {
        match a {
            Answer::Refused => self.finished = true,
            Answer::Picked(x) => match self.remaining.iter().position(|&r| r == x) {
                Some(i) => {
                    self.remaining.remove(i);
                    self.picked.push(x);
                    self.finished = self.remaining.is_empty();
                }
                None => {
                    // Offering the same set again would get the same answer: stop here.
                    self.unoffered.push(x);
                    self.finished = true;
                }
            },
        }
    }

    /// Splits off the second half of the remaining candidates as a run of its own (slow path),
    /// when there are more than [`SPLIT_ABOVE`].
    pub fn split(&mut self) -> Option<Run> {
        self.split_above(SPLIT_ABOVE)
    }

    /// [`Run::split`] with another threshold: splits when more than `n` candidates remain.
    pub fn split_above(&mut self, n: usize) -> Option<Run> {
        if self.finished || self.remaining.len() <= n.max(1) {
            return None;
        }
        let half = self.remaining.split_off(self.remaining.len() / 2);
        Some(Run::new(half))
    }
}

/// The offer that tells server order from client order: `order` reversed, arranged so that it
/// does not start with ChaCha20 or with `order[0]` when that can be avoided.
pub fn reversed_offer(order: &[u16]) -> Vec<u16> {
    let mut r: Vec<u16> = order.iter().rev().copied().collect();
    arrange(&mut r);
    if r.first() == order.first()
        && r.len() > 1
        && let Some(pos) = r
            .iter()
            .position(|&s| Some(&s) != order.first() && !is_chacha(s))
    {
        let s = r.remove(pos);
        r.insert(0, s);
    }
    r
}

/// Whether the server imposes its own order: `order` is the elimination sequence (its first
/// element is what the server picked from everything); `reversed` was offered and the server
/// picked `pick`. `None` when undecidable (fewer than two values, or an answer that fits
/// neither policy).
pub fn server_preference(order: &[u16], reversed: &[u16], pick: Option<u16>) -> Option<bool> {
    let (first, pick) = (*order.first()?, pick?);
    if order.len() < 2 || reversed.first() == Some(&first) {
        return None;
    }
    if pick == first {
        Some(true)
    } else if reversed.first() == Some(&pick) {
        Some(false)
    } else {
        None
    }
}

/// The offer that tests ChaCha20 priority: `chacha` first, then the server's order.
pub fn chacha_first_offer(order: &[u16], chacha: u16) -> Vec<u16> {
    std::iter::once(chacha)
        .chain(order.iter().copied().filter(|&s| s != chacha))
        .collect()
}

/// The offer comparing two values: the server (with its own order) picks the one it prefers.
/// A ChaCha20 suite goes second so that ChaCha priority does not decide.
pub fn pair_offer(a: u16, b: u16) -> Vec<u16> {
    if is_chacha(a) && !is_chacha(b) {
        vec![b, a]
    } else {
        vec![a, b]
    }
}

/// Where `x` goes in `sorted` (best first), given the comparisons made so far: a binary
/// search that needs `better(x, sorted[mid])` answers. Pure bookkeeping for one insertion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Insertion {
    /// The value being placed.
    pub x: u16,
    lo: usize,
    hi: usize,
}

impl Insertion {
    /// Placing `x` among `len` sorted values.
    pub fn new(x: u16, len: usize) -> Insertion {
        Insertion { x, lo: 0, hi: len }
    }

    /// The index of the value to compare `x` with next; `None` when the position is known.
    pub fn probe(&self) -> Option<usize> {
        (self.lo < self.hi).then(|| self.lo + (self.hi - self.lo) / 2)
    }

    /// Records whether the server preferred `x` over the value at [`Insertion::probe`].
    pub fn on_compare(&mut self, x_wins: bool) {
        if let Some(mid) = self.probe() {
            if x_wins {
                self.hi = mid;
            } else {
                self.lo = mid + 1;
            }
        }
    }

    /// The position found (valid once [`Insertion::probe`] is `None`).
    pub fn position(&self) -> usize {
        self.lo
    }
}

/// Merges the sorted `runs` given the final positions of every value of the later runs in the
/// first: `placed[i]` = (value, number of values of `base` it goes after). Ties keep the order
/// the values had in their own run.
pub fn merge_placed(base: &[u16], mut placed: Vec<(u16, usize)>) -> Vec<u16> {
    placed.sort_by_key(|&(_, pos)| pos);
    let mut out = Vec::with_capacity(base.len() + placed.len());
    let mut it = placed.into_iter().peekable();
    for (i, &b) in base.iter().enumerate() {
        while let Some(&(x, _)) = it.peek().filter(|(_, pos)| *pos <= i) {
            out.push(x);
            it.next();
        }
        out.push(b);
    }
    out.extend(it.map(|(x, _)| x));
    out
}

/// The runs of a membership test (slow path): one run of a single candidate for each `likely`
/// value (one hello each, all at once) and the unlikely `rest` in chunks of at most `chunk`,
/// which usually cost one refusal each.
pub fn membership_runs(likely: &[u16], rest: &[u16], chunk: usize) -> Vec<Run> {
    likely
        .iter()
        .map(|&x| Run::new(vec![x]))
        .chain(chunks(rest, chunk).into_iter().map(Run::new))
        .collect()
}

/// Whether the server imposes its own order, from two offers sent at once: `forward` and
/// [`reversed_offer`] of it, and the server's picks from each. Same pick: the server's order
/// (the pick is its favourite). Each offer's first: the client's order. Otherwise `None`.
pub fn preference_of(
    forward: &[u16],
    reversed: &[u16],
    picks: (Option<u16>, Option<u16>),
) -> Option<bool> {
    let (Some(f), Some(r)) = picks else {
        return None;
    };
    if forward.len() < 2 || forward.first() == reversed.first() {
        None
    } else if f == r {
        Some(true)
    } else if forward.first() == Some(&f) && reversed.first() == Some(&r) {
        Some(false)
    } else {
        None
    }
}

/// Recovers a server's order among values known to be accepted, in parallel rounds (slow
/// path). Each round guesses the order of the values not placed yet and offers every suffix
/// of the guess at once: the server picks the best of each suffix, so every suffix whose
/// pick is its own first value confirms the guess there. A round places at least one value
/// (usually many: the first mismatch names the next value, and a confirmed tail stays
/// ordered for the next round, which does not ask about it again). Sequential elimination
/// needs one hello in a row per value; this needs one round per misplaced stretch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ranking {
    ranked: Vec<u16>,
    rest: Vec<u16>,
    /// `rest[chain_from..]` is known to be in the server's order.
    chain_from: usize,
}

impl Ranking {
    /// `top` is the server's favourite; `rest` the other accepted values, in the guessed order.
    pub fn new(top: u16, rest: Vec<u16>) -> Ranking {
        let chain_from = rest.len().saturating_sub(1);
        Ranking {
            ranked: vec![top],
            rest,
            chain_from,
        }
    }

    /// The offers of the next round (at most `max`): suffixes of the guess, longest first.
    /// Empty when the order is known.
    pub fn queries(&self, max: usize) -> Vec<Vec<u16>> {
        (0..self.chain_from.min(max.max(1)))
            .filter_map(|i| self.rest.get(i..).map(<[u16]>::to_vec))
            .collect()
    }

    /// Whether the order is known.
    pub fn done(&self) -> bool {
        self.chain_from == 0
    }

    /// Records the picks of the offers of [`Ranking::queries`], in the same order (`None`: no
    /// answer). Returns false when the round placed nothing (the caller stops asking).
    pub fn on_answers(&mut self, picks: &[Option<u16>]) -> bool {
        let n = self.rest.len();
        let rest = self.rest.clone();
        let at = |i: usize| -> Option<u16> {
            if i >= self.chain_from {
                rest.get(i).copied()
            } else {
                picks.get(i).copied().flatten()
            }
        };
        let mut k = 0;
        while k < n && at(k) == rest.get(k).copied() {
            k += 1;
        }
        if k == n {
            self.ranked.extend(rest);
            self.rest.clear();
            self.chain_from = 0;
            return true;
        }
        let mut t = n;
        while t > k + 1 && at(t - 1) == rest.get(t - 1).copied() {
            t -= 1;
        }
        let next = at(k).filter(|x| rest[k + 1..].contains(x));
        if k == 0 && next.is_none() {
            return false;
        }
        self.ranked.extend_from_slice(&rest[..k]);
        if let Some(x) = next {
            self.ranked.push(x);
        }
        let keep = |v: &u16| Some(*v) != next;
        let head: Vec<u16> = rest[k..t].iter().copied().filter(keep).collect();
        let chain: Vec<u16> = rest[t..].iter().copied().filter(keep).collect();
        self.chain_from = if chain.is_empty() {
            head.len().saturating_sub(1)
        } else {
            head.len()
        };
        self.rest = head;
        self.rest.extend(chain);
        true
    }

    /// The order found; values not placed (rounds stopped early) follow in guessed order.
    pub fn finish(self) -> Vec<u16> {
        let mut out = self.ranked;
        out.extend(self.rest);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A server with its own order (lower index = preferred) answering an offer.
    fn server_pick(prefs: &[u16], offer: &[u16]) -> Answer {
        prefs
            .iter()
            .find(|p| offer.contains(p))
            .map_or(Answer::Refused, |&p| Answer::Picked(p))
    }

    /// A server that follows the client's order.
    fn client_pick(supported: &[u16], offer: &[u16]) -> Answer {
        offer
            .iter()
            .find(|o| supported.contains(o))
            .map_or(Answer::Refused, |&p| Answer::Picked(p))
    }

    #[test]
    fn elimination_recovers_the_server_order() {
        let prefs = [0x009C, 0xC02F, 0x002F, 0xC030];
        let mut run = Run::new(candidates(ProtocolVersion::Tls12)[..MAX_SUITES].to_vec());
        let mut n = 0;
        while let Some(o) = run.offer() {
            assert!(o.len() <= MAX_SUITES);
            run.on_answer(server_pick(&prefs, &o));
            n += 1;
        }
        assert_eq!(run.picked, prefs);
        assert_eq!(n, prefs.len() + 1);
        let rev = reversed_offer(&run.picked);
        let pick = match server_pick(&prefs, &rev) {
            Answer::Picked(p) => Some(p),
            Answer::Refused => None,
        };
        assert_eq!(server_preference(&run.picked, &rev, pick), Some(true));
    }

    #[test]
    fn client_order_is_detected() {
        let supported = [0x002F, 0xC02F, 0xC030];
        let mut run = Run::new(candidates(ProtocolVersion::Tls12)[..MAX_SUITES].to_vec());
        while let Some(o) = run.offer() {
            run.on_answer(client_pick(&supported, &o));
        }
        let mut got = run.picked.clone();
        got.sort_unstable();
        assert_eq!(got, [0x002F, 0xC02F, 0xC030]);
        let rev = reversed_offer(&run.picked);
        let Answer::Picked(p) = client_pick(&supported, &rev) else {
            panic!("refused")
        };
        assert_eq!(server_preference(&run.picked, &rev, Some(p)), Some(false));
    }

    #[test]
    fn unoffered_pick_ends_the_run() {
        let mut run = Run::new(vec![0xC02F, 0x002F]);
        run.on_answer(Answer::Picked(0x1301));
        assert!(run.finished);
        assert_eq!(run.unoffered, [0x1301]);
        assert!(run.offer().is_none());
    }

    #[test]
    fn chacha_never_leads_an_offer() {
        let mut o = vec![0xCCA8, 0xC02F];
        arrange(&mut o);
        assert_eq!(o, [0xC02F, 0xCCA8]);
        let mut only = vec![0xCCA8, 0xCCA9];
        arrange(&mut only);
        assert_eq!(only, [0xCCA8, 0xCCA9]);
        assert_eq!(pair_offer(0xCCA8, 0xC02F), [0xC02F, 0xCCA8]);
        let rev = reversed_offer(&[0xC02F, 0xC030, 0xCCA8]);
        assert_eq!(rev[0], 0xC030);
    }

    #[test]
    fn candidates_cover_the_registry() {
        let t12 = candidates(ProtocolVersion::Tls12);
        assert!(t12.len() > 300);
        for must in [
            0x0001, 0x0004, 0x0018, 0x00BA, 0xC050, 0xCCA8, 0xC0AC, 0xC100, 0x0081,
        ] {
            assert!(t12.contains(&must), "{must:#06x}");
        }
        assert!(!t12.contains(&0x00FF) && !t12.contains(&0x5600) && !t12.contains(&0));
        let t13 = candidates(ProtocolVersion::Tls13);
        assert!(t13.contains(&0x1301) && t13.contains(&0x1305));
        assert!(candidates(ProtocolVersion::Ssl3).contains(&0x0003));
        for v in [ProtocolVersion::Tls10, ProtocolVersion::Tls12] {
            for c in chunks(&candidates(v), MAX_SUITES) {
                assert!(c.len() <= MAX_SUITES);
            }
        }
    }

    #[test]
    fn split_halves_the_remaining() {
        let mut run = Run::new((1..=20).collect());
        run.on_answer(Answer::Picked(3));
        let other = run.split().expect("split");
        assert_eq!(run.remaining.len() + other.remaining.len(), 19);
        assert_eq!(other.remaining.first(), Some(&11));
    }

    fn rank_with(prefs: &[u16], guess: &[u16], max: usize) -> (Vec<u16>, usize, usize) {
        let best = |offer: &[u16]| prefs.iter().copied().find(|p| offer.contains(p));
        let top = best(guess).expect("top");
        let rest: Vec<u16> = guess.iter().copied().filter(|&g| g != top).collect();
        let mut r = Ranking::new(top, rest);
        let (mut rounds, mut hellos) = (0, 0);
        while !r.done() {
            let qs = r.queries(max);
            hellos += qs.len();
            rounds += 1;
            let picks: Vec<Option<u16>> = qs.iter().map(|q| best(q)).collect();
            let before = r.clone();
            assert!(r.on_answers(&picks), "{before:?} {qs:?} {picks:?}");
            assert!(rounds <= prefs.len());
        }
        (r.finish(), rounds, hellos)
    }

    #[test]
    fn ranking_recovers_any_order() {
        // OpenSSL's default group order against a guess sorted by strength.
        let openssl = [29, 23, 30, 25, 24, 256, 257, 258, 259, 260];
        let guess = [23, 24, 25, 29, 30, 256, 257, 258, 259, 260];
        let (got, rounds, hellos) = rank_with(&openssl, &guess, 64);
        assert_eq!(got, openssl);
        assert!(
            rounds <= 4 && hellos <= 14,
            "{rounds} rounds, {hellos} hellos"
        );
        // A right guess takes one round; a reversed one still ends with the right order.
        let (got, rounds, _) = rank_with(&openssl, &openssl, 64);
        assert_eq!((got, rounds), (openssl.to_vec(), 1));
        let rev: Vec<u16> = openssl.iter().rev().copied().collect();
        assert_eq!(rank_with(&openssl, &rev, 64).0, openssl);
        // A budget of one offer per round is plain sequential elimination.
        let (got, rounds, _) = rank_with(&openssl, &guess, 1);
        assert_eq!(got, openssl);
        assert!(rounds <= openssl.len());
        for n in 2..8u16 {
            let prefs: Vec<u16> = (0..n).map(|i| (i * (n - 1) + 1) % n).collect();
            let guess: Vec<u16> = (0..n).collect();
            assert_eq!(rank_with(&prefs, &guess, 64).0, prefs);
        }
    }

    #[test]
    fn preference_from_two_offers_at_once() {
        let f = [1, 2, 3];
        let r = [3, 2, 1];
        assert_eq!(preference_of(&f, &r, (Some(2), Some(2))), Some(true));
        assert_eq!(preference_of(&f, &r, (Some(1), Some(3))), Some(false));
        assert_eq!(preference_of(&f, &r, (Some(1), None)), None);
        assert_eq!(preference_of(&[1], &[1], (Some(1), Some(1))), None);
        assert_eq!(deal(&[1, 2, 3, 4, 5], 2), [vec![1, 3, 5], vec![2, 4]]);
        let runs = membership_runs(&[1, 2], &[3, 4, 5], 2);
        assert_eq!(runs.len(), 4);
        assert_eq!(runs[2].remaining, [3, 4]);
    }

    #[test]
    fn insertion_merge_matches_a_sort() {
        let prefs: Vec<u16> = (1..=12).collect();
        let base = vec![1, 4, 5, 9, 12];
        let later = vec![2, 3, 6, 7, 8, 10, 11];
        let mut placed = Vec::new();
        for &x in &later {
            let mut ins = Insertion::new(x, base.len());
            while let Some(i) = ins.probe() {
                let wins =
                    prefs.iter().position(|&p| p == x) < prefs.iter().position(|&p| p == base[i]);
                ins.on_compare(wins);
            }
            placed.push((x, ins.position()));
        }
        assert_eq!(merge_placed(&base, placed), prefs);
    }
}
