"""The rollout side of the SimPy peers, shared by simpy_cohort.py and simpy_per_host.py.

Rollout holds the one change's state; controller() walks the stages of staged-15m (a linear
deploy move, then the bake, as timeouts) and rolls back when interrupted; health() judges the
canary against the control group every minute from the sums the traffic processes (cohorts or
hosts) left in Rollout.tick, and interrupts the controller after FAILURE_LIMIT failing verdicts.
Time is integer milliseconds.
"""
import simpy

import model as M


class Rollout:
    """State of the one change, shared by the controller, cohorts and health processes."""

    def __init__(self, env, offset):
        self.env = env
        self.offset = offset
        self.motion = M.Motion(0.0, 0.0, 0, 0)
        self.phase = "waiting"   # deploying | baking | completed | rolling_back | rolled_back
        self.manifesting = False
        self.failures = 0
        self.next_eval = 0
        self.process = None
        self.segments = []       # (motion, until): past exposure pieces, for exposed host-minutes
        self.rollback_done = None
        # This minute's sums from the cohorts, and the health window since the last verdict.
        self.tick = [0, 0, 0, 0]      # canary requests, canary errors, fleet requests, fleet errors
        self.window = [0, 0, 0, 0]

    def move(self, target, hosts_per_minute):
        now = self.env.now
        a = self.motion.at(now)
        self.segments.append((self.motion, now))
        t1 = now + M.move_duration(abs(target - a) * M.HOSTS, hosts_per_minute)
        self.motion = M.Motion(a, target, now, t1)
        return t1 - now

    def exposed_host_minutes(self, end):
        total = 0.0
        for m, until in self.segments + [(self.motion, end)]:
            # Integral of m.at(t) over [m.t0, until] (piecewise linear, exact).
            lo = m.t0
            if until <= lo:
                continue
            mid = min(until, m.t1)
            total += (m.a + m.at(mid)) / 2 * (mid - lo) + m.b * max(0, until - max(mid, lo))
        return total * M.HOSTS / M.MINUTE


def controller(env, r):
    """Stages with bakes; an Interrupt from the health process means roll back."""
    try:
        yield env.timeout(M.CHANGE_AT)
        r.manifesting = True            # the fault shows as soon as hosts run the change
        r.next_eval = env.now + M.CHECK_INTERVAL
        for fraction, bake in M.STAGES:
            r.phase = "deploying"
            yield env.timeout(r.move(fraction, M.HOSTS_PER_MINUTE))
            r.phase = "baking"
            yield env.timeout(bake)
        r.phase = "completed"
    except simpy.Interrupt:
        r.phase = "rolling_back"
        yield env.timeout(r.move(0.0, M.ROLLBACK_HOSTS_PER_MINUTE))
        r.phase = "rolled_back"
        r.manifesting = False
        r.rollback_done = env.now


def health(env, r):
    """Every minute, after all cohorts of that minute (the zero timeout puts it behind them)."""
    while True:
        yield env.timeout(M.MINUTE)
        yield env.timeout(0)
        t = r.tick
        if r.phase in ("deploying", "baking"):
            w = r.window
            for i in range(4):
                w[i] += t[i]
            if env.now >= r.next_eval:
                verdict = M.judge(w[0], w[1], w[2] - w[0], w[3] - w[1])
                r.window = [0, 0, 0, 0]
                r.next_eval += M.CHECK_INTERVAL
                if verdict == "fail":
                    r.failures += 1
                    if r.failures >= M.FAILURE_LIMIT:
                        r.process.interrupt()
        t[0] = t[1] = t[2] = t[3] = 0
