// Micro benchmarks of the engine's hot paths: the event queue (hold model), the samplers,
// and one simulated day of a fleet. Run: build/bench/fleetsim_bench
#include <benchmark/benchmark.h>

#include <boost/random/binomial_distribution.hpp>
#include <boost/random/exponential_distribution.hpp>

#include "analysis/monte_carlo.h"
#include "sim/event_queue.h"
#include "sim/random_stream.h"
#include "sim/signal_sampler.h"

namespace fleetsim {
namespace {

// Classic "hold": pop the minimum and push it back at t + Exp(1 s), queue size constant.
void BM_EventQueueHold(benchmark::State& state) {
  const int64_t pending = state.range(0);
  EventQueue<int64_t> queue;
  RandomStream rng(StreamKey{1, 0, StreamPurpose::kTest, 0});
  boost::random::exponential_distribution<double> gap(1.0 / 1000.0);
  for (int64_t i = 0; i < pending; ++i) queue.Schedule(SimTime::Millis(static_cast<int64_t>(gap(rng))), i);
  for (auto _ : state) {
    auto e = queue.Pop();
    queue.Schedule(e->time + SimTime::Millis(1 + static_cast<int64_t>(gap(rng))), e->payload);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EventQueueHold)->Arg(1000)->Arg(100000)->Arg(1000000);

void BM_Binomial1000(benchmark::State& state) {
  RandomStream rng(StreamKey{1, 0, StreamPurpose::kTest, 0});
  boost::random::binomial_distribution<int64_t, double> dist(1000, 0.01);
  int64_t sum = 0;
  for (auto _ : state) sum += dist(rng);
  benchmark::DoNotOptimize(sum);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Binomial1000);

void BM_SampleSegment(benchmark::State& state) {
  SignalSpec spec;
  spec.overdispersion = 0.3;
  SignalSampler sampler(spec);
  CellProfile profile{0.001, 1.0};
  std::vector<FaultEffect> faults;
  std::vector<int64_t> fault_errors;
  uint64_t k = 0;
  for (auto _ : state) {
    RandomStream rng(StreamKey{1, 0, StreamPurpose::kSignals, k++});
    CellMinute minute = sampler.DrawCellMinute(rng, profile);
    benchmark::DoNotOptimize(sampler.SampleSegment(rng, 200, 100.0, minute, profile, faults, fault_errors));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SampleSegment);

}  // namespace
}  // namespace fleetsim
