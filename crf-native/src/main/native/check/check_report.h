// How crf_check compares two results of a case and prints them.
#ifndef SEGCRF_CHECK_REPORT_H
#define SEGCRF_CHECK_REPORT_H

#include <cstdio>
#include <string>

#include "check_cases.h"

namespace segcrf::check {

// Two results of a case agree when all three hold (a measure the reference lacks is not checked).
constexpr double kMinLabelAgreement = 0.999;  // fraction of pixels with the same argmax
constexpr double kMaxQDifference = 1e-3;      // max over pixels and classes of |Q_a - Q_b|
constexpr double kMaxKlRelative = 1e-3;       // max over iterations of |KL_a - KL_b| / max(|KL_b|, 1)

struct Comparison {
  double labels = -1;  // -1: not compared
  double max_dq = -1;
  double kl_rel = -1;
  bool ok() const {
    return labels >= kMinLabelAgreement && (max_dq < 0 || max_dq <= kMaxQDifference) &&
           (kl_rel < 0 || kl_rel <= kMaxKlRelative);
  }
};

// `a` against `b`; b's empty vectors are not compared (the fixtures lack Q at 640x480).
Comparison compare(const std::vector<float>& q_a, const std::vector<uint8_t>& labels_a, const std::vector<double>& kl_a,
                   const std::vector<float>& q_b, const std::vector<uint8_t>& labels_b,
                   const std::vector<double>& kl_b);

// The CPU against the reference: a header, then one line per case.
void print_reference_header(std::FILE* out);
void print_reference_line(std::FILE* out, const Case& c, const Comparison& vs_ref, const std::string& sanity);
// The CUDA backend against the CPU: a header, then one line per case (cuda null: CPU times only).
void print_backend_header(std::FILE* out);
void print_backend_line(std::FILE* out, const Case& c, const Outcome& cpu, const Outcome* cuda, const Comparison* vs);

}  // namespace segcrf::check

#endif
