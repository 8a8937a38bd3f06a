#include "check_report.h"

#include <algorithm>
#include <cmath>

namespace segcrf::check {

namespace {

constexpr int kNameWidth = 46;

std::string percent(double v) {
  if (v < 0) return "-";
  char b[32];
  std::snprintf(b, sizeof(b), "%.3f%%", 100.0 * v);
  return b;
}

std::string sci(double v) {
  if (v < 0) return "-";
  char b[32];
  std::snprintf(b, sizeof(b), "%.1e", v);
  return b;
}

std::string times(const Outcome& o, int iterations) {
  char b[64];
  std::snprintf(b, sizeof(b), "%.1f/%.2f/%.1f", o.timing.lattice_ms,
                iterations > 0 ? o.timing.iterations_ms / iterations : 0.0, o.timing.total_ms);
  return b;
}

}  // namespace

Comparison compare(const std::vector<float>& q_a, const std::vector<uint8_t>& labels_a, const std::vector<double>& kl_a,
                   const std::vector<float>& q_b, const std::vector<uint8_t>& labels_b,
                   const std::vector<double>& kl_b) {
  Comparison c;
  if (!labels_b.empty()) {
    size_t same = 0;
    for (size_t i = 0; i < labels_b.size(); ++i) same += labels_a[i] == labels_b[i];
    c.labels = static_cast<double>(same) / static_cast<double>(labels_b.size());
  }
  if (!q_b.empty()) {
    double m = 0;
    for (size_t i = 0; i < q_b.size(); ++i) {
      const double d = std::fabs(static_cast<double>(q_a[i]) - q_b[i]);
      if (!(d <= m)) m = d;  // a NaN makes the maximum NaN, which fails every check
    }
    c.max_dq = m;
  }
  if (!kl_b.empty()) {
    double m = 0;
    for (size_t i = 0; i < kl_b.size(); ++i) {
      const double d = std::fabs(kl_a[i] - kl_b[i]) / std::max(std::fabs(kl_b[i]), 1.0);
      if (!(d <= m)) m = d;
    }
    c.kl_rel = m;
  }
  return c;
}

void print_reference_header(std::FILE* out) {
  std::fprintf(out, "  %-*s %9s %8s %8s  %s\n", kNameWidth, "case", "labels", "max|dQ|", "KL rel", "result");
}

void print_reference_line(std::FILE* out, const Case& c, const Comparison& vs, const std::string& sanity) {
  const bool compared = vs.labels >= 0;
  const bool ok = (!compared || vs.ok()) && sanity.empty();
  std::string result = ok ? "ok" : "FAIL";
  if (!sanity.empty()) result += ": " + sanity;
  if (!compared && sanity.empty()) result = "ok (no reference; frame checked for shift and geese)";
  std::fprintf(out, "  %-*s %9s %8s %8s  %s\n", kNameWidth, c.name.c_str(), percent(vs.labels).c_str(),
               sci(vs.max_dq).c_str(), sci(vs.kl_rel).c_str(), result.c_str());
}

void print_backend_header(std::FILE* out) {
  std::fprintf(out, "  %-*s %9s %8s %8s  %-20s %-20s %s\n", kNameWidth, "case", "labels", "max|dQ|", "KL rel",
               "CPU ms", "CUDA ms", "result");
}

void print_backend_line(std::FILE* out, const Case& c, const Outcome& cpu, const Outcome* cuda, const Comparison* vs) {
  std::fprintf(out, "  %-*s %9s %8s %8s  %-20s %-20s %s\n", kNameWidth, c.name.c_str(),
               vs != nullptr ? percent(vs->labels).c_str() : "-", vs != nullptr ? sci(vs->max_dq).c_str() : "-",
               vs != nullptr ? sci(vs->kl_rel).c_str() : "-", times(cpu, c.iterations).c_str(),
               cuda != nullptr ? times(*cuda, c.iterations).c_str() : "-",
               vs == nullptr ? "not run" : vs->ok() ? "ok" : "DIFFERS");
  std::fflush(out);
}

}  // namespace segcrf::check
