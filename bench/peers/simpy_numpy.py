#!/usr/bin/python3
"""SimPy + numpy peer, vectorized (issue #17): the peers' scenarios with array draws.

The fastest way we know to write these scenarios in Python: SimPy for the control flow (the
rollout controller and the health process of simpy_rollout.py, unchanged), and ONE traffic
process that, every simulated minute, draws every cell at once with numpy:
  z      = rng.standard_normal(cells)                   (per-(cell, minute) overdispersion)
  p      = min(1, rate_c x exp(sigma z - sigma^2 / 2))  (rate_c: the persistent per-cell rate)
  req    = hosts x rate exactly (mc-noisy-change: 75,000 per cell) or rng.poisson(hosts x rate)
  errors = rng.binomial(req, p)                         (8,000 Binomial(75,000, p_c) draws)
The cells the change splits (its boundary bucket in each cluster while it moves) are drawn
again as two cohorts (hosts running it, the rest) with the same p; fault errors on the hosts
running a bad change are one more binomial array. Whole cells are summed into the canary
(hosts running the change) and the fleet with numpy reductions. numpy's Generator (PCG64;
standard_normal by ziggurat, binomial by BTPE/inversion) is exact, like fleetsim's samplers.

  /usr/bin/python3 bench/peers/simpy_numpy.py --scenario mc-noisy-change --replicas 20
prints one line like the other peers (model.report), with the same statistics.
"""
import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import model as M  # noqa: E402

simpy = M.require_simpy("simpy_numpy")
try:
    import numpy as np
except ImportError:
    print("peer=simpy_numpy skipped=no-numpy (install Debian python3-numpy and run with "
          f"/usr/bin/python3; this is {sys.executable})", flush=True)
    sys.exit(3)
from simpy_rollout import Rollout, controller, health  # noqa: E402


class Layout:
    """The fleet as arrays, cluster-major like fleetsim (model.build_cells); built once and
    shared by the replicas, like fleetsim's Fleet."""

    def __init__(self):
        layout, per_cluster = M.build_cells()
        self.n = len(layout)
        self.buckets = np.array([per_cluster[c] for c, _, _ in layout], dtype=np.int64)
        self.bucket = np.array([b for _, b, _ in layout], dtype=np.int64)
        self.hosts = np.array([h for _, _, h in layout], dtype=np.int64)


class Cells:
    """One replica's cells: the layout plus each cell's persistent error rate."""

    def __init__(self, layout, rng):
        self.n, self.buckets, self.bucket, self.hosts = (layout.n, layout.buckets, layout.bucket,
                                                         layout.hosts)
        s = M.CELL_HETEROGENEITY
        mult = np.exp(s * rng.standard_normal(self.n) - 0.5 * s * s) if s > 0 else 1.0
        self.error_rate = np.minimum(1.0, M.BASE_ERROR_RATE * mult) * np.ones(self.n)
        self.mean_requests = self.hosts * M.REQUESTS_PER_HOST_MINUTE

    def exposed(self, fraction, offset):
        """Hosts of each cell running a change at `fraction` of every cluster, placed at
        `offset` (model.exposed_in_cell, vectorized)."""
        if fraction <= 0:
            return np.zeros(self.n, dtype=np.int64)
        if fraction >= 1:
            return self.hosts.copy()
        b = self.buckets
        length = fraction * b
        r = np.round(length)
        length = np.where(np.abs(length - r) < 1e-9, r, length)
        full = np.floor(length).astype(np.int64)
        start = offset * b
        rs = np.round(start)
        start = np.where(np.abs(start - rs) < 1e-9, rs, np.floor(start)).astype(np.int64) % b
        rel = (self.bucket - start) % b
        partial = np.floor((length - full) * self.hosts + 1e-9).astype(np.int64)
        return np.where(rel < full, self.hosts, np.where(rel == full, partial, 0))


def traffic(env, r, rng, cells):
    sigma = M.OVERDISPERSION_SIGMA
    expected = M.EXPECTED_REQUESTS
    rate = M.REQUESTS_PER_HOST_MINUTE
    fault = M.FAULT_ERROR_INCREASE
    tick = r.tick
    requests_of = (lambda mean: np.rint(mean).astype(np.int64)) if expected else rng.poisson
    while True:
        yield env.timeout(M.MINUTE)
        if sigma > 0:
            p = np.minimum(1.0, cells.error_rate *
                           np.exp(sigma * rng.standard_normal(cells.n) - 0.5 * sigma * sigma))
        else:
            p = cells.error_rate
        exposed = cells.exposed(r.motion.at(env.now), r.offset)
        req = requests_of(cells.mean_requests)
        err = rng.binomial(req, p)
        fleet_req, fleet_err = int(req.sum()), int(err.sum())
        canary_req = canary_err = 0
        whole = exposed == cells.hosts
        if whole.any():
            canary_req += int(req[whole].sum())
            canary_err += int(err[whole].sum())
        split = np.nonzero((exposed > 0) & ~whole)[0]
        if split.size:
            # The split cells again, as two cohorts sharing the cell's p.
            fleet_req -= int(req[split].sum())
            fleet_err -= int(err[split].sum())
            ps = p[split]
            on = exposed[split]
            req_on = requests_of(on * rate)
            req_off = requests_of((cells.hosts[split] - on) * rate)
            err_on = rng.binomial(req_on, ps)
            err_off = rng.binomial(req_off, ps)
            canary_req += int(req_on.sum())
            canary_err += int(err_on.sum())
            fleet_req += int(req_on.sum() + req_off.sum())
            fleet_err += int(err_on.sum() + err_off.sum())
        if r.manifesting and fault > 0 and canary_req > 0:
            # Fault errors among the canary's requests that did not fail already: one binomial
            # per canary cohort would be the cohort peer's way; summed it is the same law.
            caused = int(rng.binomial(canary_req - canary_err, fault))
            canary_err += caused
            fleet_err += caused
        tick[0] += canary_req
        tick[1] += canary_err
        tick[2] += fleet_req
        tick[3] += fleet_err


def run_replica(layout, seed, replica):
    rng = np.random.default_rng(seed * 1_000_003 + replica)
    env = simpy.Environment()
    r = Rollout(env, float(rng.random()))
    cells = Cells(layout, rng)
    env.process(traffic(env, r, rng, cells))
    r.process = env.process(controller(env, r))
    env.process(health(env, r))
    env.run(until=M.DURATION + 1)
    return {
        "rolled_back": r.phase == "rolled_back",
        "exposed_host_minutes": r.exposed_host_minutes(M.DURATION),
        "ttm_min": (r.rollback_done - M.CHANGE_AT) / M.MINUTE if r.rollback_done is not None else None,
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--replicas", type=int, default=20)
    ap.add_argument("--seed", type=int, default=None, help="default: the scenario's seed")
    M.add_scenario_argument(ap)
    args = ap.parse_args()
    M.use(args.scenario)
    seed = M.SEED if args.seed is None else args.seed
    layout = Layout()
    start, cpu_start = time.perf_counter(), time.process_time()
    results = [run_replica(layout, seed, rep) for rep in range(args.replicas)]
    M.report("simpy_numpy", args.replicas, time.perf_counter() - start,
             time.process_time() - cpu_start, "numpy-arrays", results,
             f" cells={M.REGIONS * M.CLUSTERS_PER_REGION * M.BUCKETS}")


if __name__ == "__main__":
    main()
