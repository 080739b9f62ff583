"""How often the return-to-player alarm (RtpAlarm in template.yaml) would fire on a fair game.

The alarm compares CreditsPaid / CreditsBet over a window of at least MIN_SPINS spins with a
band around the proven RTP. This computes, exactly rather than by a normal approximation, the
chance that a fair game leaves the band, for bets of 1 and 10 mixed in any proportion (the
mixes that spread the ratio most). Payouts per credit bet come from the rules: the counts of
each multiplier among the 22^3 stop combinations, as `cargo test -p spin-game --test fairness`
enumerates them.

    pip install numpy   # in a virtualenv of your choice
    python3 infra/rtp_band.py
"""

import math

import numpy as np

# Multiplier → how many of the 10 648 stop combinations pay it (game/src/paytable.rs,
# game/src/reels.rs).
COMBINATIONS = {0: 7400, 2: 2720, 5: 316, 8: 64, 10: 48, 12: 36, 15: 27, 20: 12, 25: 12, 50: 12, 200: 1}
MIN_SPINS = 10_000
LOWER, UPPER = 0.7318, 1.4071  # the alarm's band
LOW_BET, HIGH_BET = 1, 10

total = sum(COMBINATIONS.values())
p = np.zeros(max(COMBINATIONS) + 1)
for multiplier, count in COMBINATIONS.items():
    p[multiplier] = count / total
rtp = sum(m * c for m, c in COMBINATIONS.items()) / total
sigma = math.sqrt(sum(c * (m - rtp) ** 2 for m, c in COMBINATIONS.items()) / total)
worst_mix = (LOW_BET + HIGH_BET) ** 2 / (4 * LOW_BET * HIGH_BET)
standard_error = sigma * math.sqrt(worst_mix / MIN_SPINS)
print(f"RTP {rtp:.6f}, sigma per credit bet {sigma:.4f}, worst-mix factor {worst_mix:.3f}")
print(f"standard error over {MIN_SPINS} spins {standard_error:.5f}: band is RTP "
      f"{(LOWER - rtp) / standard_error:+.2f} .. {(UPPER - rtp) / standard_error:+.2f} of them")


def outside(n, share_high):
    """P(ratio < LOWER), P(ratio > UPPER) over n spins, each betting HIGH_BET with probability
    share_high and LOW_BET otherwise: exact for each count j of high bets, then weighted."""
    spread = math.sqrt(n * share_high * (1 - share_high))
    counts = range(max(0, int(n * share_high - 8 * spread) - 2), min(n, int(n * share_high + 8 * spread) + 3))
    most_bet = n * LOW_BET + counts[-1] * (HIGH_BET - LOW_BET)
    size = 1 << math.ceil(math.log2(UPPER * most_bet * 1.5 + HIGH_BET * len(p)))
    low = np.fft.rfft(p, size)
    high_p = np.zeros(HIGH_BET * (len(p) - 1) + 1)
    high_p[::HIGH_BET] = p
    high = np.fft.rfft(high_p, size)
    below = above = weight = 0.0
    for j in counts:
        w = math.exp(math.lgamma(n + 1) - math.lgamma(j + 1) - math.lgamma(n - j + 1)
                     + j * math.log(share_high) + (n - j) * math.log(1 - share_high))
        if w < 1e-15:
            continue
        paid = np.clip(np.fft.irfft(low ** (n - j) * high ** j, size), 0, None)
        bet = (n - j) * LOW_BET + j * HIGH_BET
        ratio = np.arange(size) / bet
        weight += w
        below += w * paid[ratio < LOWER].sum()
        above += w * (paid[ratio > UPPER].sum() + max(0.0, 1 - paid.sum()))
    return below / weight, above / weight


print("share of bets at 10 | P(below) | P(above), per window of exactly", MIN_SPINS, "spins")
for share in [0.0005, 0.002, 0.01, 0.02, 0.05, 1 / 11, 0.2, 0.5]:
    below, above = outside(MIN_SPINS, share)
    print(f"{share:8.4f} | {below:.1e} | {above:.1e}")
print("(values near 1e-12 are the floor of the floating-point FFT, i.e. zero)")
