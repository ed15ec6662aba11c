#!/usr/bin/python3
"""SimPy peer, cohort level (performance.md §3.1 "Level A"): the peers' scenarios in SimPy 3.

The same model as fleetsim's engine, written the way a SimPy user would:
  - one process per cell (6 regions x 8 clusters x 100 buckets = 4,800 cohorts of ~208 hosts);
    every simulated minute it draws the cell's error probability (lognormal overdispersion
    around its persistent rate), then for each segment of the cell (hosts running the change,
    hosts not running it) requests ~ Poisson(hosts x 60) (or exactly hosts x rate with
    --scenario mc-noisy-change: 8,000 cohorts of 125 hosts, 600 requests a minute each),
    errors ~ Binomial(requests, p) plus, on hosts running the bad change, fault errors
    ~ Binomial(rest, 0.0004);
  - one controller process for the rollout: stages 1 -> 5 -> 25 -> 100% with linear deploy
    moves and 15-minute bakes as timeouts; a rollback interrupts it;
  - one health process that, every minute after the cohorts have reported, compares the canary
    (hosts running the change) with the control group (all others) and rolls back after three
    failing verdicts.
Samplers: model.py (exact pure-Python PTRS/BTRS/inversion by default; --sampler numpy).

  /usr/bin/python3 bench/peers/simpy_cohort.py --replicas 3 [--scenario mc-noisy-change]
prints one line: peer=simpy_cohort replicas=N wall_s=... s_per_replica=... plus statistics
comparable with `fleetsim run scenarios/examples/mc-staged-change.yaml --csv` (rolled_back
share, mean exposed host-minutes, mean time to mitigate of rolled-back replicas).
"""
import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import model as M  # noqa: E402

simpy = M.require_simpy("simpy_cohort")
from simpy_rollout import Rollout, controller, health  # noqa: E402


def cohort(env, r, sampler, cluster_buckets, bucket, hosts, error_rate):
    poisson, binomial = sampler.poisson, sampler.binomial
    if M.EXPECTED_REQUESTS:
        poisson = round  # requests = hosts x rate exactly
    rate = M.REQUESTS_PER_HOST_MINUTE
    fault = M.FAULT_ERROR_INCREASE
    tick = r.tick
    while True:
        yield env.timeout(M.MINUTE)
        p = M.cell_minute_probability(sampler, error_rate)
        exposed = M.exposed_in_cell(r.motion.at(env.now), r.offset, bucket, cluster_buckets, hosts)
        if exposed:
            req = poisson(exposed * rate)
            err = binomial(req, p)
            if r.manifesting and fault > 0:
                err += binomial(req - err, fault)
            tick[0] += req
            tick[1] += err
            tick[2] += req
            tick[3] += err
        if hosts > exposed:
            req = poisson((hosts - exposed) * rate)
            err = binomial(req, p)
            tick[2] += req
            tick[3] += err


def run_replica(seed, replica, sampler_kind):
    sampler = M.make_sampler(sampler_kind, seed * 1_000_003 + replica)
    env = simpy.Environment()
    r = Rollout(env, sampler.random())
    cells, per_cluster = M.build_cells()
    for cluster, bucket, hosts in cells:
        error_rate = min(1.0, M.BASE_ERROR_RATE * M.mean_one_lognormal(sampler, M.CELL_HETEROGENEITY))
        env.process(cohort(env, r, sampler, per_cluster[cluster], bucket, hosts, error_rate))
    r.process = env.process(controller(env, r))
    env.process(health(env, r))
    env.run(until=M.DURATION + 1)
    return {
        "rolled_back": r.phase == "rolled_back",
        "exposed_host_minutes": r.exposed_host_minutes(M.DURATION),
        "ttm_min": (r.rollback_done - M.CHANGE_AT) / M.MINUTE if r.rollback_done is not None else None,
    }, sampler.name


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--replicas", type=int, default=3)
    ap.add_argument("--seed", type=int, default=None, help="default: the scenario's seed")
    M.add_scenario_argument(ap)
    ap.add_argument("--sampler", choices=["auto", "numpy", "python"], default="python",
                    help="python (default, exact, fastest here), numpy, or auto (numpy if importable)")
    args = ap.parse_args()
    M.use(args.scenario)
    if args.seed is None:
        args.seed = M.SEED
    start, cpu_start = time.perf_counter(), time.process_time()
    results = []
    for rep in range(args.replicas):
        res, sampler = run_replica(args.seed, rep, args.sampler)
        results.append(res)
    M.report("simpy_cohort", args.replicas, time.perf_counter() - start, time.process_time() - cpu_start,
             sampler, results,
             f" cohorts={len(M.build_cells()[0])}")


if __name__ == "__main__":
    main()
