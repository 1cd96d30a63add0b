// lies-bench-memory: the peak resident set size of a fit on a large generated table.
//
//   lies-bench-memory [--rows 10000000] [--inputs 9] [--epochs 4] [--trials 4] [--threads 0]
//
// Builds a Dataset of `rows` rows with `inputs` positive input columns and a positive
// target (so the fit works in log space), then runs engine::fit on it. Prints the size of
// the data, the peak resident set size (VmHWM of /proc/self/status) after the table is
// built and after the fit, and their ratio. The fit's formula is printed too, to show
// that the fit ran to the end.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <string_view>

#include "engine/dataset.hpp"
#include "engine/fitter.hpp"
#include "engine/random.hpp"

namespace {

// Peak resident set size of this process in bytes, or 0 where /proc is missing.
double peak_resident_bytes() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::strtod(line.c_str() + 6, nullptr) * 1024.0;
  }
  return 0.0;
}

long parse_count(std::string_view flag, const char* text, long minimum) {
  char* end = nullptr;
  const long value = std::strtol(text, &end, 10);
  if (*text == '\0' || *end != '\0' || value < minimum) {
    std::fprintf(stderr, "lies-bench-memory: %.*s needs an integer of at least %ld, got '%s'\n",
                 static_cast<int>(flag.size()), flag.data(), minimum, text);
    std::exit(2);
  }
  return value;
}

}  // namespace

int main(int argc, char** argv) {
  long rows = 10'000'000;
  long inputs = 9;
  lies::engine::FitOptions options;
  options.epochs = 4;
  for (int k = 1; k + 1 < argc; k += 2) {
    const std::string_view flag = argv[k];
    if (flag == "--rows") {
      rows = parse_count(flag, argv[k + 1], 10);
    } else if (flag == "--inputs") {
      inputs = parse_count(flag, argv[k + 1], 1);
    } else if (flag == "--epochs") {
      options.epochs = static_cast<int>(parse_count(flag, argv[k + 1], 4));
    } else if (flag == "--trials") {
      options.trials = static_cast<int>(parse_count(flag, argv[k + 1], 1));
    } else if (flag == "--threads") {
      options.threads = static_cast<int>(parse_count(flag, argv[k + 1], 0));
    } else {
      std::fprintf(stderr,
                   "lies-bench-memory: unknown option %s\n"
                   "usage: lies-bench-memory [--rows N] [--inputs N] [--epochs N] [--trials N] "
                   "[--threads N]\n",
                   argv[k]);
      return 2;
    }
  }

  lies::engine::Dataset data;
  data.source = "generated table";
  const auto n = static_cast<std::size_t>(rows);
  for (long j = 0; j < inputs; ++j) {
    std::string name = "x";
    name += std::to_string(j + 1);
    data.names.push_back(name);
    data.columns.emplace_back(n);
  }
  data.names.push_back("y");
  data.columns.emplace_back(n);
  lies::engine::Rng rng(11);
  for (std::size_t r = 0; r < n; ++r) {
    double y = 1.5;
    for (long j = 0; j < inputs; ++j) {
      const double x = rng.uniform(1.0, 5.0);
      data.columns[static_cast<std::size_t>(j)][r] = x;
      // y = 1.5 · x1 · x2^-1 · x3^0.5: a product of powers, as in many physics formulas.
      if (j == 0) y *= x;
      if (j == 1) y /= x;
      if (j == 2) y *= std::sqrt(x);
    }
    data.columns.back()[r] = y;
  }

  const double data_bytes = static_cast<double>(data.cols() * n * sizeof(double));
  const double peak_before = peak_resident_bytes();
  const auto result = lies::engine::fit(data, options);
  const double peak_after = peak_resident_bytes();
  if (!result.ok()) {
    std::fprintf(stderr, "lies-bench-memory: fit failed: %s\n",
                 std::string(result.status().message()).c_str());
    return 1;
  }
  constexpr double kMiB = 1024.0 * 1024.0;
  std::printf("rows %zu, columns %zu, data %.0f MiB\n", n, data.cols(), data_bytes / kMiB);
  std::printf("peak RSS after building the table: %.0f MiB (%.2f x data)\n",
              peak_before / kMiB, peak_before / data_bytes);
  std::printf("peak RSS after the fit:            %.0f MiB (%.2f x data)\n", peak_after / kMiB,
              peak_after / data_bytes);
  std::printf("fit: %.1f s, nmse %.3g, %d trials, %d epochs\n", result->seconds, result->nmse,
              result->trials, options.epochs);
  return 0;
}
