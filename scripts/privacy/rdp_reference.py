"""Reference (epsilon, delta) values for the fedledger RDP accountant's unit test.

Independent of the TypeScript code: standard library only. For T rounds of the Gaussian mechanism
with noise multiplier z (no subsampling), rho = T / (2 z^2) and the conversion minimised over every
real order alpha > 1 has the closed form

    epsilon = rho + 2 * sqrt(rho * ln(1 / delta))

(Bun & Steinke, "Concentrated Differential Privacy: Simplifications, Extensions, and Lower Bounds",
TCC 2016, Proposition 1.3; equal to minimising Mironov 2017 Prop. 3 over real alpha). The script
also checks the closed form against a brute-force minimisation over a fine alpha grid.

Run: python3 scripts/privacy/rdp_reference.py
"""
import math

CASES = [  # (rounds, noise multiplier, delta)
    (1, 1.0, 1e-5),
    (3, 1.0, 1e-5),
    (10, 1.1, 1e-5),
    (100, 4.0, 1e-6),
    (5, 0.5, 1e-3),
    (3, 7.5, 1e-5),
]

for rounds, z, delta in CASES:
    rho = rounds / (2 * z * z)
    closed = rho + 2 * math.sqrt(rho * math.log(1 / delta))
    brute = min(rounds * a / (2 * z * z) + math.log(1 / delta) / (a - 1) for a in (1 + k / 10000 for k in range(1, 20_000_000, 7)))
    assert abs(brute - closed) / closed < 1e-6, (brute, closed)
    print(f"{{ rounds: {rounds}, noiseMultiplier: {z}, delta: {delta}, epsilon: {closed!r} }},")
