// The HTML report (analysis/report_html.h) as a person opens it: a quickstart run under two
// policies (same seeds), two sample timelines and a three-point sweep are rendered to a file
// that headless Chromium (Debian's `chromium`, installed by scripts/setup) opens offline. The
// page must embed every chart as SVG (data-charts-rendered equals the number of chart divs and
// each holds an <svg>) with no console message and no uncaught error; the file must load
// nothing over the network and must HTML-escape scenario, policy and sweep names. A second page
// with nothing to chart (no bad change, no sample, no sweep) must render cleanly too.
#include <sys/wait.h>

#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "analysis/experiment.h"
#include "analysis/monte_carlo.h"
#include "analysis/report.h"
#include "analysis/report_html.h"
#include "analysis/timeline.h"
#include "sim/simulation.h"
#include "tests/test_support.h"
#include "web/vega_bundle.h"

namespace fleetsim {
namespace {

namespace fs = std::filesystem;

constexpr const char* kNastyName = "quick<start> & \"friends\" </script>";

using testing::ReadFile;

// A fresh, empty directory under the temp dir, removed when the test case ends.
struct TempDir {
  fs::path path;
  explicit TempDir(const std::string& name) : path(testing::FreshTempDir("html-" + name)) {}
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
};

Report RunReport(Experiment& experiment, int replicas) {
  Report report;
  report.scenario = &experiment.scenario;
  report.seed = experiment.scenario.seed;
  report.replicas = replicas;
  for (const Policy& policy : experiment.policies) {
    PolicyRun run;
    run.policy = &policy;
    RunOptions options;
    options.replicas = replicas;
    options.seed = report.seed;
    run.replicas = RunReplicas(experiment.scenario, policy, options);
    run.summary = SummarizeRun(run.replicas);
    report.runs.push_back(std::move(run));
  }
  return report;
}

Timeline SampleTimeline(const Scenario& scenario, const Policy& policy, uint64_t seed,
                        uint32_t replica) {
  TimelineRecorder recorder(scenario.faults, replica);
  Simulation sim(scenario, policy.ForSimulation(), replica, &recorder, seed);
  sim.Run();
  return recorder.TakeTimeline();
}

Experiment LoadQuickstart() {
  Result<Experiment> e =
      LoadExperiment(std::string(FLEETSIM_SOURCE_DIR) + "/scenarios/examples/quickstart.yaml",
                     {"configerator", "big-bang"});
  INFO(e.status().message());
  REQUIRE(e.ok());
  return std::move(e).value();
}

struct Browser {
  int exit_code = -1;
  std::string dom;  // --dump-dom output
  std::string log;  // Chromium's stderr
};

// Opens `html` in headless Chromium with a fresh profile and no network, and dumps its DOM after
// the page settled (virtual time: scripts and promises run to completion).
Browser OpenInChromium(const fs::path& html, const fs::path& dir) {
  if (std::system("command -v chromium >/dev/null 2>&1") != 0) {
    FAIL(
        "chromium is not installed: the HTML report test needs Debian's chromium "
        "(bash scripts/setup installs it)");
  }
  const fs::path profile = dir / "profile";
  fs::create_directories(profile);
  std::string command = "timeout 120 chromium";
  for (const char* flag :
       {"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-extensions", "--virtual-time-budget=10000", "--enable-logging=stderr", "--v=0",
        "--dump-dom"}) {
    command += std::string(" ") + flag;
  }
  command += " --user-data-dir='" + profile.string() + "' 'file://" + html.string() + "' > '" +
             (dir / "dom.html").string() + "' 2> '" + (dir / "chromium.log").string() + "'";
  const int status = std::system(command.c_str());
  Browser b;
  b.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  b.dom = ReadFile(dir / "dom.html");
  b.log = ReadFile(dir / "chromium.log");
  return b;
}

// Lines Chromium logs for the page itself: console messages (any level) and uncaught errors.
std::vector<std::string> PageConsoleLines(const std::string& log) {
  std::vector<std::string> lines;
  std::istringstream in(log);
  for (std::string line; std::getline(in, line);) {
    if (line.find("CONSOLE") != std::string::npos || line.find("Uncaught") != std::string::npos) {
      lines.push_back(line);
    }
  }
  return lines;
}

// The ids of the chart divs in `dom` and, for each, whether an <svg> appears before the next one.
std::vector<std::pair<std::string, bool>> ChartsInDom(const std::string& dom) {
  static const std::regex kChartDiv("<div class=\"chart[^\"]*\" id=\"([^\"]+)\"");
  std::vector<std::pair<std::string, size_t>> starts;
  for (auto it = std::sregex_iterator(dom.begin(), dom.end(), kChartDiv);
       it != std::sregex_iterator(); ++it) {
    starts.emplace_back((*it)[1].str(), static_cast<size_t>(it->position()));
  }
  std::vector<std::pair<std::string, bool>> charts;
  for (size_t i = 0; i < starts.size(); ++i) {
    const size_t end = i + 1 < starts.size() ? starts[i + 1].second : dom.size();
    const std::string body = dom.substr(starts[i].second, end - starts[i].second);
    charts.emplace_back(starts[i].first, body.find("<svg") != std::string::npos);
  }
  return charts;
}

// Renders in Chromium and checks every chart drew and the console stayed silent.
void CheckRendersCleanly(const std::string& html, int expected_charts, const std::string& name) {
  TempDir dir(name);
  const fs::path file = dir.path / "report.html";
  std::ofstream(file, std::ios::binary) << html;
  const Browser b = OpenInChromium(file, dir.path);
  INFO("chromium exit code " << b.exit_code
                             << (b.exit_code == 0 ? "" : "; its log:\n" + b.log.substr(0, 4000)));
  REQUIRE(b.exit_code == 0);
  REQUIRE(b.dom.find("</html>") != std::string::npos);
  for (const std::string& line : PageConsoleLines(b.log)) FAIL_CHECK("the page logged: " << line);
  CHECK(b.dom.find("data-charts-rendered=\"" + std::to_string(expected_charts) + "\"") !=
        std::string::npos);
  const auto charts = ChartsInDom(b.dom);
  CHECK(charts.size() == static_cast<size_t>(expected_charts));
  for (const auto& [id, has_svg] : charts) {
    INFO("chart " << id);
    CHECK(has_svg);
  }
}

// The page loads nothing from the network: no external script, stylesheet, image or font.
void CheckSelfContained(const std::string& html) {
  static const std::regex kExternal(R"((src|href)\s*=\s*["']?\s*(https?:)?//)", std::regex::icase);
  CHECK_FALSE(std::regex_search(html, kExternal));
  CHECK(html.find("<link") == std::string::npos);
  CHECK(html.find("<script src") == std::string::npos);
  CHECK(html.find("@import") == std::string::npos);
  CHECK(html.find("Content-Security-Policy") != std::string::npos);
}

TEST_CASE("the HTML report is self-contained and escapes every name", "[report][html]") {
  Experiment experiment = LoadQuickstart();
  experiment.scenario.name = kNastyName;
  experiment.policies[1].name = "big<bang>";
  Report report = RunReport(experiment, 2);
  // Three points for two runs: the runs keep their policy names (a sweep has one run per point).
  report.sweep = {{"bake=<10m>", {40, 0.2, 0.01}, true},
                  {"bake=20m", {60, 0.05, 0.02}, true},
                  {"bake=30m", {80, 0.04, 0.02}, false}};
  const std::string html = RenderHtml(report, {});
  CheckSelfContained(html);
  CHECK(html.find("quick<start>") == std::string::npos);
  CHECK(html.find("big<bang>") == std::string::npos);
  CHECK(html.find("bake=<10m>") == std::string::npos);
  CHECK(html.find("quick&lt;start&gt; &amp; &quot;friends&quot; &lt;/script&gt;") !=
        std::string::npos);
  CHECK(html.find("big&lt;bang&gt;") != std::string::npos);
  // Inside the inlined chart specs '<' is \u-escaped, so no name can close the script element.
  CHECK(html.find("big\\u003cbang\\u003e") != std::string::npos);
  CHECK(html.find("data-charts-expected=\"" + std::to_string(HtmlChartCount(report, {})) + "\"") !=
        std::string::npos);
  // A pure function of its input.
  CHECK(html == RenderHtml(report, {}));
}

TEST_CASE("every chart of the HTML report renders in headless Chromium without console errors",
          "[report][html][chromium]") {
  Experiment experiment = LoadQuickstart();
  experiment.scenario.name = kNastyName;
  Report report = RunReport(experiment, 6);
  report.sweep = {{"stages[0].bake=10m", {95, 0.03, 0.02}, true},
                  {"stages[0].bake=20m", {110, 0.02, 0.01}, true},
                  {"stages[0].bake=30m", {130, 0.025, 0.02}, false}};
  std::vector<Timeline> samples;
  for (uint32_t r = 0; r < 2; ++r) {
    samples.push_back(SampleTimeline(experiment.scenario, experiment.policies[0], report.seed, r));
  }
  // The samples have something to draw: bad changes whose exposure the chart shows.
  int impacts = 0;
  for (const Timeline& t : samples) {
    for (const TimelineEvent& e : t.events) impacts += e.kind == TimelineKind::kImpactBegan;
  }
  CHECK(impacts > 0);
  const std::string html = RenderHtml(report, samples);
  CheckSelfContained(html);
  const int expected = HtmlChartCount(report, samples);
  CHECK(expected == 2 + 4 + 1);
  CheckRendersCleanly(html, expected, "full");
}

TEST_CASE("an HTML report with nothing to chart still renders every chart cleanly",
          "[report][html][chromium]") {
  Experiment experiment = LoadQuickstart();
  experiment.scenario.changes.config.bad_fraction = 0;
  experiment.policies.resize(1);
  Report report = RunReport(experiment, 1);
  REQUIRE(report.runs[0].summary.totals.bad == 0);
  const std::string html = RenderHtml(report, {});
  const int expected = HtmlChartCount(report, {});
  CHECK(expected == 4);
  CheckRendersCleanly(html, expected, "empty");
}

}  // namespace
}  // namespace fleetsim

namespace fleetsim {
namespace {

// A name that runs script wherever it is not inert: as HTML (an <img> whose onerror fires, a
// <script> element, the end of the report's own <script>) and inside an attribute. Each marks
// the page with data-pwned if it ever runs.
std::string Payload(const std::string& where) {
  return "PAYLOAD-" + where + " <img src=x onerror=document.body.dataset.pwned=\"" + where +
         "\"> </script><script>document.body.dataset.pwned=\"" + where + "\"</script> \" " +
         "onmouseover=\"document.body.dataset.pwned=1";
}

// In single quotes for YAML (a single quote is written twice).
std::string Yaml(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

// After the charts rendered, points at every mark (as a mouse would) and records what the
// tooltips showed: how many appeared, how many showed a payload's text, and how many held any
// element a payload could have made. Appended to the report only for this test.
constexpr const char* kHoverEveryMark = R"(<script>
(function () {
  var wait = setInterval(function () {
    if (document.body.dataset.chartsRendered === undefined) return;
    clearInterval(wait);
    var marks = Array.prototype.slice.call(
        document.querySelectorAll('.chart svg path, .chart svg line, .chart svg rect'));
    var i = 0, seen = 0, payload = 0, elements = 0;
    function next() {
      if (i >= marks.length || i >= 600) {
        var d = document.body.dataset;
        d.tooltipsSeen = String(seen);
        d.tooltipsWithPayload = String(payload);
        d.tooltipsWithElements = String(elements);
        d.injectedElements = String(document.querySelectorAll('img, iframe, object, embed').length);
        d.hoverDone = '1';
        return;
      }
      var mark = marks[i++], r = mark.getBoundingClientRect();
      var at = {bubbles: true, clientX: r.left + r.width / 2, clientY: r.top + r.height / 2};
      mark.dispatchEvent(new PointerEvent('pointermove', at));
      mark.dispatchEvent(new MouseEvent('mousemove', at));
      setTimeout(function () {
        var t = document.getElementById('vg-tooltip-element');
        if (t && t.classList.contains('visible')) {
          seen++;
          if (t.textContent.indexOf('PAYLOAD-') >= 0) payload++;
          elements += t.querySelectorAll('img, script, svg, iframe').length;
        }
        next();
      }, 5);
    }
    next();
  }, 20);
})();
</script>
)";

int DatasetNumber(const std::string& dom, const std::string& attribute) {
  const std::string key = attribute + "=\"";
  const size_t at = dom.find(key);
  if (at == std::string::npos) return -1;
  return std::atoi(dom.c_str() + at + key.size());
}

TEST_CASE("names from user files are inert in the HTML report (escaped, CSP kept)",
          "[report][html][chromium][injection]") {
  // Scenario, description, region, service, fault, policy and stage names all carry a payload.
  const std::string scenario_yaml =
      "name: " + Yaml(Payload("scenario")) + "\ndescription: " + Yaml(Payload("description")) +
      "\nduration: 12h\nseed: 3\n"
      "fleet:\n  hosts: 20000\n  clusters_per_region: 2\n  regions:\n"
      "    - {name: " +
      Yaml(Payload("region")) +
      ", utc_offset: -6}\n"
      "    - {name: europe, utc_offset: 1}\n"
      "traffic: {requests_per_host_per_minute: 60}\n"
      "signals: {base_error_rate: 0.002}\n"
      "deploy: {hosts_per_minute: 10000, rollback_hosts_per_minute: 20000}\n"
      "services:\n  - {name: " +
      Yaml(Payload("service")) +
      "}\n"
      "faults:\n  - {name: " +
      Yaml(Payload("fault")) +
      ", error_rate_increase: 0.05}\n"
      "changes:\n  config: {per_day: 120, bad_fraction: 0.2}\n"
      "humans:\n  alert: {error_rate: 0.006, for: 5m}\n";
  const std::string policy_yaml =
      "name: " + Yaml(Payload("policy")) +
      "\nrollout:\n  kind: stages\n  stages:\n"
      "    - {name: " +
      Yaml(Payload("stage")) +
      ", percent: 5, bake: 30m}\n"
      "    - {name: all, percent: 100, bake: 30m}\n"
      "health:\n  interval: 1m\n  checks: [{kind: threshold, metric: error_rate, max: 0.01}]\n";
  Experiment experiment;
  experiment.scenario = testing::ScenarioFromYaml(scenario_yaml);
  experiment.policies.push_back(testing::PolicyFromYaml(policy_yaml));
  Report report = RunReport(experiment, 4);
  report.sweep = {{Payload("sweep"), {40, 0.2, 0.01}, true}, {"bake=20m", {60, 0.05, 0.02}, true}};
  std::vector<Timeline> samples;
  for (uint32_t r = 0; r < 2; ++r) {
    samples.push_back(SampleTimeline(experiment.scenario, experiment.policies[0], report.seed, r));
  }
  const std::string html = RenderHtml(report, samples);

  // As text: no payload survives unescaped, the policy is there, and the only scripts are the
  // report's own (the bundles and the bootstrap).
  CheckSelfContained(html);
  CHECK(html.find("<img src=x") == std::string::npos);
  CHECK(html.find("<script>document.body") == std::string::npos);
  // A quote that could end an attribute only ever appears escaped inside the charts' JSON.
  for (size_t at = html.find("\" onmouseover"); at != std::string::npos;
       at = html.find("\" onmouseover", at + 1)) {
    CHECK(html[at - 1] == '\\');
  }
  CHECK(html.find("PAYLOAD-scenario &lt;img src=x") != std::string::npos);
  size_t scripts = 0;
  for (size_t at = html.find("<script"); at != std::string::npos; at = html.find("<script", at + 1))
    ++scripts;
  CHECK(scripts == ReportJsBundles().size() + 1);
  const size_t csp = html.find(
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
      "'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src "
      "'unsafe-inline'; img-src data:\">");
  CHECK(csp != std::string::npos);
  CHECK(csp < html.find("<title>"));  // before anything a name could reach

  // In the browser: every chart draws, nothing a payload carries ever runs, and the tooltips
  // show the names as text.
  TempDir dir("injection");
  const fs::path file = dir.path / "report.html";
  std::string hovered = html;
  hovered.insert(hovered.rfind("</body>"), kHoverEveryMark);
  std::ofstream(file, std::ios::binary) << hovered;
  const Browser b = OpenInChromium(file, dir.path);
  INFO("chromium exit code " << b.exit_code << "; log:\n" << b.log.substr(0, 3000));
  REQUIRE(b.exit_code == 0);
  CHECK(b.dom.find("data-hover-done=\"1\"") != std::string::npos);
  CHECK(b.dom.find("data-charts-rendered=\"" + std::to_string(HtmlChartCount(report, samples)) +
                   "\"") != std::string::npos);
  CHECK(b.dom.find("data-pwned") == std::string::npos);
  CHECK(DatasetNumber(b.dom, "data-injected-elements") == 0);
  CHECK(DatasetNumber(b.dom, "data-tooltips-seen") > 0);
  CHECK(DatasetNumber(b.dom, "data-tooltips-with-payload") > 0);
  CHECK(DatasetNumber(b.dom, "data-tooltips-with-elements") == 0);
  for (const std::string& line : PageConsoleLines(b.log)) FAIL_CHECK("the page logged: " << line);
}

}  // namespace
}  // namespace fleetsim
