// The fault model through the fleetsim executable: fault-model-tour (shaped faults, a latent
// fault and its trigger, a bypass push, a cascade, a crash loop, a blocked rollback, a region
// outage, unreachable hosts and per-region propagation delay) gives byte-identical JSON, CSV and
// terminal output for 1 and 2 threads, and its SEV levels appear consistently in all three and
// in `fleetsim replay`.
#include <catch2/catch.hpp>

#include <array>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/test_support.h"

namespace fleetsim::testing {
namespace {

namespace fs = std::filesystem;

std::vector<std::vector<std::string>> CsvRows(const std::string& csv) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(csv);
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    std::string cell;
    std::istringstream fields(line);
    while (std::getline(fields, cell, ',')) cells.push_back(cell);
    if (!line.empty() && line.back() == ',') cells.push_back("");
    rows.push_back(cells);
  }
  return rows;
}

TEST_CASE("the fault-model tour is byte-identical for 1 and 2 threads and reports SEV levels",
          "[cli][determinism][fault_model]") {
  const fs::path dir = FreshTempDir("fault-model");
  const std::string base = "run scenarios/examples/fault-model-tour.yaml --replicas 6 --seed 21 ";
  CommandResult one = RunFleetsim(base + "--threads 1 --json " + (dir / "t1.json").string() +
                                  " --csv " + (dir / "t1.csv").string());
  CommandResult two = RunFleetsim(base + "--threads 2 --json " + (dir / "t2.json").string() +
                                  " --csv " + (dir / "t2.csv").string());
  INFO(one.output << two.output);
  REQUIRE(one.exit_code == 0);
  REQUIRE(two.exit_code == 0);
  const std::string json = ReadFile(dir / "t1.json");
  const std::string csv = ReadFile(dir / "t1.csv");
  CHECK(json == ReadFile(dir / "t2.json"));
  CHECK(csv == ReadFile(dir / "t2.csv"));
  CHECK(one.output == two.output);

  // The run really took the new paths: in every replica the latent fault (after its trigger),
  // the cascade from db and the bypass push manifested.
  const auto rows = CsvRows(csv);
  REQUIRE(rows.size() > 1);
  const std::vector<std::string>& header = rows[0];
  std::map<std::string, size_t> col;
  for (size_t i = 0; i < header.size(); ++i) col[header[i]] = i;
  REQUIRE(header.back() == "sev");
  std::map<std::string, int> bad_by_fault;
  std::array<int64_t, 10> sev_changes{};
  for (size_t r = 1; r < rows.size(); ++r) {
    REQUIRE(rows[r].size() == header.size());
    if (rows[r][col["bad"]] == "1") ++bad_by_fault[rows[r][col["fault"]]];
    if (!rows[r][col["sev"]].empty())
      ++sev_changes[static_cast<size_t>(std::stoi(rows[r][col["sev"]]))];
  }
  for (const char* fault : {"latent", "db-errors", "fatal"}) {
    INFO(fault);
    CHECK(bad_by_fault[fault] == 6);
  }

  // SEV: the JSON's counts are the CSV's, and every replica has exactly one worst level.
  const nlohmann::json j = nlohmann::json::parse(json);
  const nlohmann::json& totals = j.at("totals");
  int64_t replicas = 0;
  for (int level : {1, 2, 3}) {
    const std::string key = "sev" + std::to_string(level);
    CHECK(totals.at("sev_changes").at(key).get<int64_t>() ==
          sev_changes[static_cast<size_t>(level)]);
    replicas += totals.at("replicas_by_worst_sev").at(key).get<int64_t>();
  }
  replicas += totals.at("replicas_by_worst_sev").at("none").get<int64_t>();
  CHECK(replicas == 6);
  CHECK(sev_changes[1] + sev_changes[2] + sev_changes[3] > 0);
  CHECK_THAT(one.output,
             Catch::Contains("SEV changes (total)") && Catch::Contains("worst SEV / replica"));

  // A different seed gives a different report (the comparisons above can fail).
  CommandResult other =
      RunFleetsim("run scenarios/examples/fault-model-tour.yaml --replicas 6 --seed 22 -q --json " +
                  (dir / "s.json").string());
  REQUIRE(other.exit_code == 0);
  CHECK(ReadFile(dir / "s.json") != json);
  fs::remove_all(dir);
}

TEST_CASE("replay shows the SEV level and, under a propagation delay, each stage's pushed target",
          "[cli][fault_model]") {
  CommandResult r = RunFleetsim("replay scenarios/examples/fault-model-tour.yaml");
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  // The data push that triggers the latent bug is staged: its 1% canary (the only hosts running
  // both) is caught and rolled back, so impacted traffic stays near 1% (< SEV2's 10%) while the
  // failed requests pass SEV3's 1,000.
  CHECK_THAT(r.output, Catch::Contains("SEV level") && Catch::Contains("SEV3"));
  // Every region is delayed 30 s or more: when the 1% push is done no host runs it yet, but the
  // stage's target is the push's.
  CHECK_THAT(r.output, Catch::Contains("stage canary started (target 1.0% of 6,000 hosts)"));
  CommandResult plain = RunFleetsim("replay scenarios/outages/fastly-2021.yaml");
  REQUIRE(plain.exit_code == 0);
  CHECK(plain.output.find("SEV") == std::string::npos);
}

TEST_CASE("scenarios without severity levels report no SEV keys", "[cli][fault_model]") {
  const fs::path dir = FreshTempDir("no-sev");
  CommandResult r = RunFleetsim("run scenarios/examples/quickstart.yaml --replicas 2 --json " +
                                (dir / "q.json").string() + " --csv " + (dir / "q.csv").string());
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  CHECK(ReadFile(dir / "q.json").find("sev") == std::string::npos);
  CHECK(r.output.find("SEV") == std::string::npos);
  // The per-change CSV always ends with the (here empty) sev column.
  const auto rows = CsvRows(ReadFile(dir / "q.csv"));
  REQUIRE(rows.size() > 1);
  CHECK(rows[0].back() == "sev");
  for (size_t i = 1; i < rows.size(); ++i) CHECK(rows[i].back().empty());
  fs::remove_all(dir);
}

}  // namespace
}  // namespace fleetsim::testing
