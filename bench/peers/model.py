"""Shared model of the peers' scenarios for the SimPy peers (DESIGN §9).

The peers (simpy_numpy.py, simpy_cohort.py, simpy_per_host.py) build the same scenario the way a
SimPy user would; this module holds what they need: the scenarios' numbers (SCENARIOS,
hard-coded: keep them in sync with scenarios/examples/mc-staged-change.yaml with
scenarios/policies/staged-15m.yaml, and scenarios/examples/mc-noisy-change.yaml), the fleet layout (same split of hosts
into regions x clusters x buckets as sim/fleet.cc and sim/scenario_loader.cc), placement of a
change inside a cluster (sim/deploy_actuator.h), linear exposure motion, the health check, and
exact samplers for Poisson and Binomial counts.

Samplers (--sampler): pure Python by default, or numpy's Generator (Debian python3-numpy; "auto"
uses it when `import numpy` works). One scalar draw per call either way, as a SimPy process
makes them; measured here numpy was no faster for the cohort peer and ~20% slower for the
per-host one (call overhead), so the pure-Python samplers are the peers' fastest honest choice:
  Poisson:  mean < 10 inversion (sequential search); else PTRS, Hoermann 1993 "The transformed
            rejection method for generating Poisson random variables" (numpy's algorithm).
  Binomial: n*min(p,1-p) < 10 inversion; else BTRS, Hoermann 1993 "The generation of binomial
            random variates" (transformed rejection with squeeze, as in TensorFlow/JAX).
Both are exact (no normal approximation). `python3 model.py --selftest` compares them with the
exact probability mass functions.

Time is integer milliseconds, like fleetsim's SimTime, so stage and bake instants add up exactly.
"""
import math
import random
import sys

MINUTE = 60_000  # ms

# The scenarios the peers implement, each with its policy. Keep them in sync with the YAML files
# (scenarios/examples/<name>.yaml and the policy it names); use(name) makes one current.
SCENARIOS = {
    # scenarios/examples/mc-staged-change.yaml with scenarios/policies/staged-15m.yaml
    "mc-staged-change": dict(
        DURATION=120 * MINUTE, SEED=3, HOSTS=1_000_000, REGIONS=6, CLUSTERS_PER_REGION=8,
        BUCKETS=100, REQUESTS_PER_HOST_MINUTE=60.0, EXPECTED_REQUESTS=False,
        BASE_ERROR_RATE=0.001,
        CELL_HETEROGENEITY=0.3,  # lognormal sigma of the persistent per-cell error multiplier
        OVERDISPERSION=0.0,      # CV of the per-(cell, minute) error probability
        HOSTS_PER_MINUTE=50_000, ROLLBACK_HOSTS_PER_MINUTE=200_000,
        FAULT_ERROR_INCREASE=0.0004, CHANGE_AT=1 * MINUTE,
        STAGES=[(0.01, 15 * MINUTE), (0.05, 15 * MINUTE), (0.25, 15 * MINUTE), (1.0, 15 * MINUTE)],
        CHECK_INTERVAL=1 * MINUTE, MIN_REQUESTS=10_000, FAILURE_LIMIT=3, THRESHOLD_MAX=0.01,
        RELATIVE_MAX_INCREASE=0.5),
    # scenarios/examples/mc-noisy-change.yaml (inline policy): a good change, Binomial errors of
    # exactly hosts x 600 requests a minute, per-(cell, minute) multiplier exp(0.2 Z - 0.02).
    "mc-noisy-change": dict(
        DURATION=60 * MINUTE, SEED=17, HOSTS=1_000_000, REGIONS=8, CLUSTERS_PER_REGION=10,
        BUCKETS=100, REQUESTS_PER_HOST_MINUTE=600.0, EXPECTED_REQUESTS=True,
        BASE_ERROR_RATE=0.001, CELL_HETEROGENEITY=0.0, OVERDISPERSION=0.20201676710706026,
        HOSTS_PER_MINUTE=50_000, ROLLBACK_HOSTS_PER_MINUTE=200_000,
        FAULT_ERROR_INCREASE=0.0, CHANGE_AT=1 * MINUTE,
        STAGES=[(0.01, 15 * MINUTE), (0.05, 15 * MINUTE), (0.25, 15 * MINUTE), (1.0, 15 * MINUTE)],
        CHECK_INTERVAL=1 * MINUTE, MIN_REQUESTS=10_000, FAILURE_LIMIT=1, THRESHOLD_MAX=0.005,
        RELATIVE_MAX_INCREASE=0.5),
}
SCENARIO = None


def use(name):
    """Makes scenario `name` (a key of SCENARIOS) the one this module's constants describe."""
    global SCENARIO, OVERDISPERSION_SIGMA
    g = globals()
    g.update(SCENARIOS[name])
    SCENARIO = name
    OVERDISPERSION_SIGMA = math.sqrt(math.log1p(OVERDISPERSION * OVERDISPERSION))


def add_scenario_argument(ap):
    ap.add_argument("--scenario", choices=sorted(SCENARIOS), default="mc-staged-change",
                    help="which scenario to run (default mc-staged-change)")


use("mc-staged-change")


# ---------------------------------------------------------------------------------------------
# Samplers
class PySampler:
    """Exact Poisson/Binomial draws in pure Python (see the module docstring)."""
    name = "python"

    def __init__(self, seed):
        self.r = random.Random(seed)
        self.random = self.r.random
        self.gauss = self.r.gauss

    def poisson(self, mu):
        if mu <= 0:
            return 0
        rnd = self.random
        if mu < 10:
            p = math.exp(-mu)
            u = rnd()
            k = 0
            while u > p:
                u -= p
                k += 1
                p *= mu / k
                if p <= 0:  # rounding ran the tail dry: start over
                    u, k, p = rnd(), 0, math.exp(-mu)
            return k
        # PTRS
        slam = math.sqrt(mu)
        loglam = math.log(mu)
        b = 0.931 + 2.53 * slam
        a = -0.059 + 0.02483 * b
        log_invalpha = math.log(1.1239 + 1.1328 / (b - 3.4))
        vr = 0.9277 - 3.6224 / (b - 2)
        while True:
            u = rnd() - 0.5
            v = rnd()
            us = 0.5 - abs(u)
            k = math.floor((2 * a / us + b) * u + mu + 0.43)
            if us >= 0.07 and v <= vr:
                return k
            if k < 0 or (us < 0.013 and v > us):
                continue
            if math.log(v) + log_invalpha - math.log(a / (us * us) + b) <= -mu + k * loglam - math.lgamma(k + 1):
                return k

    def binomial(self, n, p):
        if n <= 0 or p <= 0:
            return 0
        if p >= 1:
            return n
        if p > 0.5:
            return n - self.binomial(n, 1 - p)
        rnd = self.random
        if n * p < 10:
            # Inversion: P(0) = q^n, P(k+1) = P(k) (n-k)/(k+1) p/q.
            q = 1 - p
            s = p / q
            a = (n + 1) * s
            r0 = math.exp(n * math.log1p(-p))
            while True:
                r = r0
                u = rnd()
                k = 0
                while u > r:
                    u -= r
                    k += 1
                    if k > n:
                        break
                    r *= a / k - s
                else:
                    return k
        # BTRS
        spq = math.sqrt(n * p * (1 - p))
        b = 1.15 + 2.53 * spq
        a = -0.0873 + 0.0248 * b + 0.01 * p
        c = n * p + 0.5
        vr = 0.92 - 4.2 / b
        alpha = (2.83 + 5.1 / b) * spq
        lpq = math.log(p / (1 - p))
        m = math.floor((n + 1) * p)
        h = math.lgamma(m + 1) + math.lgamma(n - m + 1)
        while True:
            u = rnd() - 0.5
            v = rnd()
            us = 0.5 - abs(u)
            k = math.floor((2 * a / us + b) * u + c)
            if k < 0 or k > n:
                continue
            if us >= 0.07 and v <= vr:
                return k
            v = math.log(v * alpha / (a / (us * us) + b))
            if v <= h - math.lgamma(k + 1) - math.lgamma(n - k + 1) + (k - m) * lpq:
                return k


class NumpySampler:
    """Scalar draws from numpy's Generator (PTRS / BTPE inside), one call per draw."""
    name = "numpy"

    def __init__(self, seed):
        import numpy
        g = numpy.random.default_rng(seed)
        self.random = g.random
        self.gauss = g.normal
        self._poisson = g.poisson
        self._binomial = g.binomial

    def poisson(self, mu):
        return int(self._poisson(mu)) if mu > 0 else 0

    def binomial(self, n, p):
        return int(self._binomial(n, p)) if n > 0 and p > 0 else 0


def make_sampler(kind, seed):
    if kind in ("auto", "numpy"):
        try:
            return NumpySampler(seed)
        except ImportError:
            if kind == "numpy":
                raise
    return PySampler(seed)


def mean_one_lognormal(sampler, sigma):
    return math.exp(sigma * sampler.gauss(0.0, 1.0) - 0.5 * sigma * sigma) if sigma > 0 else 1.0


def cell_minute_probability(sampler, mu):
    s = OVERDISPERSION_SIGMA
    if s == 0:
        return mu
    return min(1.0, mu * math.exp(s * sampler.gauss(0.0, 1.0) - 0.5 * s * s))


# ---------------------------------------------------------------------------------------------
# Fleet: regions x clusters x buckets, hosts split as fleetsim does (remainders to the first).
def split(total, parts):
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def build_cells(hosts=None):
    """List of cells (cluster index, bucket, hosts), cluster-major like fleetsim, and the
    number of cells per cluster (the current scenario's fleet, or `hosts` hosts)."""
    hosts = HOSTS if hosts is None else hosts
    cells = []
    cluster = 0
    per_cluster = []
    for region_hosts in split(hosts, REGIONS):
        for cluster_hosts in split(region_hosts, CLUSTERS_PER_REGION):
            b = min(BUCKETS, cluster_hosts)
            per_cluster.append(b)
            for bucket, h in enumerate(split(cluster_hosts, b)):
                cells.append((cluster, bucket, h))
            cluster += 1
    return cells, per_cluster


def start_bucket(offset, b):
    start = offset * b
    r = round(start)
    return int(r if abs(start - r) < 1e-9 else math.floor(start)) % b


def exposed_in_cell(fraction, offset, bucket, b, cell_hosts):
    """Hosts of one cell (bucket `bucket` of a cluster with `b` buckets) running a change at
    `fraction` of that cluster with placement `offset` (ExposureInCluster)."""
    if fraction <= 0:
        return 0
    if fraction >= 1:
        return cell_hosts
    length = fraction * b
    r = round(length)
    length = r if abs(length - r) < 1e-9 else length
    full = math.floor(length)
    rel = (bucket - start_bucket(offset, b)) % b
    if rel < full:
        return cell_hosts
    if rel == full:
        return math.floor((length - full) * cell_hosts + 1e-9)
    return 0


def move_duration(hosts_moved, hosts_per_minute):
    """MoveDuration: whole hosts, rounded up to a millisecond."""
    hosts = round(hosts_moved)
    return 0 if hosts <= 0 else (hosts * MINUTE + hosts_per_minute - 1) // hosts_per_minute


class Motion:
    """Exposure moving linearly from `a` to `b` (fraction of every cluster) over [t0, t1]."""
    __slots__ = ("a", "b", "t0", "t1")

    def __init__(self, a, b, t0, t1):
        self.a, self.b, self.t0, self.t1 = a, b, t0, t1

    def at(self, t):
        if t >= self.t1:
            return self.b
        if t <= self.t0:
            return self.a
        return self.a + (self.b - self.a) * (t - self.t0) / (self.t1 - self.t0)


def judge(canary_req, canary_err, control_req, control_err):
    """staged-15m's checks: 'fail', 'pass' or 'inconclusive' (CheckSetPolicy, combine any)."""
    if canary_req < MIN_REQUESTS:
        return "inconclusive"
    canary = canary_err / canary_req
    if canary > THRESHOLD_MAX:
        return "fail"
    if control_req == 0:
        return "pass"  # the threshold check decided
    control = control_err / control_req
    if control > 0:
        increase = (canary - control) / control
    else:
        increase = math.inf if canary > 0 else 0.0
    return "fail" if increase > RELATIVE_MAX_INCREASE else "pass"


def report(peer, replicas, wall, cpu, sampler, results, extra="", scale=1.0):
    """Prints the machine-readable result line the macro benchmark parses. `scale` > 1
    extrapolates the per-replica times linearly (a run on a scaled-down fleet)."""
    n = len(results)
    rolled = [r for r in results if r["rolled_back"]]
    mean_ehm = sum(r["exposed_host_minutes"] for r in results) / n
    ttm = sum(r["ttm_min"] for r in rolled) / len(rolled) if rolled else float("nan")
    measured = ""
    if scale != 1.0:
        measured = (f" measured_s_per_replica={wall / replicas:.4f}"
                    f" measured_cpu_s_per_replica={cpu / replicas:.4f} extrapolated_x={scale:g}")
    print(f"peer={peer} scenario={SCENARIO} replicas={replicas} wall_s={wall:.3f} cpu_s={cpu:.3f} "
          f"s_per_replica={wall / replicas * scale:.4f} cpu_s_per_replica={cpu / replicas * scale:.4f}"
          f"{measured} sampler={sampler}{extra} rolled_back={len(rolled) / n:.3f} "
          f"mean_exposed_host_minutes={mean_ehm:.4g} mean_ttm_rolled_back_min={ttm:.2f}", flush=True)


def require_simpy(peer):
    try:
        import simpy  # noqa: F401
        return simpy
    except ImportError:
        print(f"peer={peer} skipped=no-simpy (install Debian python3-simpy3 and run with "
              f"/usr/bin/python3; this is {sys.executable})", flush=True)
        sys.exit(3)


# ---------------------------------------------------------------------------------------------
def _selftest(seed=12345):
    """Chi-square-like check of the pure-Python samplers against exact pmfs."""
    s = PySampler(seed)
    cases = [("poisson", (3.0,)), ("poisson", (60.0,)), ("poisson", (12500.0,)),
             ("binomial", (60, 0.001)), ("binomial", (12500, 0.0004)), ("binomial", (12500, 0.001)),
             ("binomial", (200, 0.3)), ("binomial", (40, 0.9))]
    ok = True
    for kind, args in cases:
        draws = 200_000
        xs = [getattr(s, kind)(*args) for _ in range(draws)]
        if kind == "poisson":
            mu = args[0]
            mean, var = mu, mu
            pmf = lambda k: math.exp(-mu + k * math.log(mu) - math.lgamma(k + 1))
        else:
            n, p = args
            mean, var = n * p, n * p * (1 - p)
            pmf = lambda k: math.exp(math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)
                                     + k * math.log(p) + (n - k) * math.log1p(-p))
        m = sum(xs) / draws
        v = sum((x - m) ** 2 for x in xs) / draws
        counts = {}
        for x in xs:
            counts[x] = counts.get(x, 0) + 1
        # Chi-square over values with expected count >= 20.
        chi, dof = 0.0, 0
        for k in range(int(mean - 6 * math.sqrt(var)) - 1, int(mean + 6 * math.sqrt(var)) + 2):
            if k < 0 or (kind == "binomial" and k > args[0]):
                continue
            e = draws * pmf(k)
            if e >= 20:
                chi += (counts.get(k, 0) - e) ** 2 / e
                dof += 1
        z = (chi - dof) / math.sqrt(2 * max(dof, 1))
        good = abs(m - mean) < 5 * math.sqrt(var / draws) and z < 4
        ok &= good
        print(f"{kind}{args}: mean {m:.4f} (exact {mean:.4f}) var {v:.4f} (exact {var:.4f}) "
              f"chi2 {chi:.1f} on {dof} cells z={z:.2f} {'ok' if good else 'FAIL'}")
    return ok


if __name__ == "__main__":
    if "--selftest" in sys.argv:
        sys.exit(0 if _selftest() else 1)
    print(__doc__)
