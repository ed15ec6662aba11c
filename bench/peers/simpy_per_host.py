#!/usr/bin/python3
"""SimPy peer, per-host level (performance.md §3.1 "Level B"): the peers' scenarios in SimPy 3.

One SimPy process per host. Every simulated minute each host draws its requests
~ Poisson(rate) (exactly `rate` with --scenario mc-noisy-change) and its errors ~ Binomial(requests, p_cell_minute), plus fault errors
~ Binomial(rest, 0.0004) when it runs the bad change, and adds them to the minute's sums. The
cell's per-minute error probability and how many of its hosts (a prefix) run the change are
worked out by the first host of the cell to wake that minute. The controller and health
processes are the cohort peer's (simpy_rollout.py).

--hosts H (default 1,000,000) shrinks the fleet while keeping its shape (same cells) and
its traffic: each host serves rate x 1,000,000 / H requests a minute, so the health signals, and
hence the statistics printed, keep (close to) the full fleet's distribution. The event count,
and so the time, grows linearly with the number of host processes; below 1,000,000 hosts the
printed s_per_replica is the measured time x 1,000,000 / H (flagged extrapolated_x=...), and
measured_s_per_replica is the raw figure. The extrapolation favours SimPy: its per-event cost
grows with the number of live processes (performance.md §1.3: 0.06 M ev/s at 10^6 processes vs
0.2-0.7 M at 10^3-10^4), and 1,000,000 processes need about 1 GB.

  /usr/bin/python3 bench/peers/simpy_per_host.py --hosts 10000 --replicas 1
"""
import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import model as M  # noqa: E402

simpy = M.require_simpy("simpy_per_host")
from simpy_rollout import Rollout, controller, health  # noqa: E402


class Cells:
    """Per-cell state of the current minute, filled lazily by the cell's first host."""

    def __init__(self, r, sampler, cells, per_cluster):
        n = len(cells)
        self.r = r
        self.sampler = sampler
        self.buckets = [per_cluster[cluster] for cluster, _, _ in cells]
        self.bucket = [bucket for _, bucket, _ in cells]
        self.hosts = [hosts for _, _, hosts in cells]
        self.error_rate = [min(1.0, M.BASE_ERROR_RATE * M.mean_one_lognormal(sampler, M.CELL_HETEROGENEITY))
                           for _ in range(n)]
        self.minute = [-1] * n
        self.p = [0.0] * n
        self.exposed = [0] * n

    def refresh(self, c, now):
        self.minute[c] = now
        self.p[c] = M.cell_minute_probability(self.sampler, self.error_rate[c])
        self.exposed[c] = M.exposed_in_cell(self.r.motion.at(now), self.r.offset, self.bucket[c],
                                            self.buckets[c], self.hosts[c])


def host(env, r, cells, sampler, c, index, rate):
    poisson, binomial = sampler.poisson, sampler.binomial
    if M.EXPECTED_REQUESTS:
        poisson = round  # requests = rate exactly
    fault = M.FAULT_ERROR_INCREASE
    tick = r.tick
    while True:
        yield env.timeout(M.MINUTE)
        now = env.now
        if cells.minute[c] != now:
            cells.refresh(c, now)
        req = poisson(rate)
        err = binomial(req, cells.p[c])
        if index < cells.exposed[c]:
            if r.manifesting and fault > 0:
                err += binomial(req - err, fault)
            tick[0] += req
            tick[1] += err
        tick[2] += req
        tick[3] += err


def run_replica(seed, replica, sampler_kind, hosts):
    sampler = M.make_sampler(sampler_kind, seed * 1_000_003 + replica)
    env = simpy.Environment()
    r = Rollout(env, sampler.random())
    layout, per_cluster = M.build_cells(hosts)
    cells = Cells(r, sampler, layout, per_cluster)
    rate = M.REQUESTS_PER_HOST_MINUTE * M.HOSTS / hosts
    for c, (_, _, n) in enumerate(layout):
        for i in range(n):
            env.process(host(env, r, cells, sampler, c, i, rate))
    r.process = env.process(controller(env, r))
    env.process(health(env, r))
    env.run(until=M.DURATION + 1)
    return {
        "rolled_back": r.phase == "rolled_back",
        "exposed_host_minutes": r.exposed_host_minutes(M.DURATION),  # in full-fleet host-minutes
        "ttm_min": (r.rollback_done - M.CHANGE_AT) / M.MINUTE if r.rollback_done is not None else None,
    }, sampler.name


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--replicas", type=int, default=1)
    ap.add_argument("--hosts", type=int, default=None,
                    help="host processes (at least one per cell); time is extrapolated to the full fleet")
    ap.add_argument("--seed", type=int, default=None, help="default: the scenario's seed")
    M.add_scenario_argument(ap)
    ap.add_argument("--sampler", choices=["auto", "numpy", "python"], default="python",
                    help="python (default, exact, fastest here), numpy, or auto (numpy if importable)")
    args = ap.parse_args()
    M.use(args.scenario)
    if args.seed is None:
        args.seed = M.SEED
    if args.hosts is None:
        args.hosts = M.HOSTS
    min_hosts = M.REGIONS * M.CLUSTERS_PER_REGION * M.BUCKETS
    if not min_hosts <= args.hosts <= M.HOSTS:
        ap.error(f"--hosts must be in [{min_hosts}, {M.HOSTS}]")
    start, cpu_start = time.perf_counter(), time.process_time()
    results = []
    for rep in range(args.replicas):
        res, sampler = run_replica(args.seed, rep, args.sampler, args.hosts)
        results.append(res)
    M.report("simpy_per_host", args.replicas, time.perf_counter() - start, time.process_time() - cpu_start,
             sampler, results, f" hosts={args.hosts}", scale=M.HOSTS / args.hosts)


if __name__ == "__main__":
    main()
