// lies-bench-kernels: times the LIES network cases and prints one result per line, as a
// table or as JSON, for docs/benchmarks.md and bench/pytorch_side_by_side.py.
//
//   lies-bench-kernels [--json] [--cases forward,forward_reverse,train_epoch,limit]
//                      [--threads 1,2] [--rows 100000] [--inputs 5] [--layers 5]
//                      [--batch 128] [--repeats 5] [--data FILE]
//
// Every case runs `repeats` times after one warm-up run and reports the median and the
// fastest run. rows_per_second is rows / median seconds. cpu_s is the median CPU time of
// the whole process per run, summed over its threads. Unlike the wall-clock time, it does
// not grow when other processes share the cores, so rows per CPU second compares the work
// per row of runs on a busy machine.
//   forward          Evaluator::evaluate over all rows
//   forward_reverse  Evaluator::gradient of the mean squared error over all rows
//   train_epoch      one epoch of Trainer::run (RMSprop, L1 and ADMM) at --batch
//   limit            only the transcendental calls of forward_reverse, over all rows,
//                    and forward_reverse's share of that throughput
// --data reads a table (CSV, TSV or whitespace) whose last column is the target and uses
// it in place of generated rows; --rows and --inputs are then ignored.
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "autodiff/evaluator.hpp"
#include "autodiff/kernels.hpp"
#include "bench/workload.hpp"
#include "engine/trainer.hpp"
#include "io/table.hpp"

namespace lies::bench {
namespace {

struct Options {
  bool json = false;
  std::vector<std::string> cases = {"forward", "forward_reverse", "train_epoch", "limit"};
  std::vector<int> threads = {1, 2};
  std::size_t rows = kDefaultRows;
  std::uint32_t inputs = kDefaultInputs;
  std::uint32_t layers = kDefaultLayers;
  std::size_t batch = kDefaultBatch;
  int repeats = 5;
  std::string data;
};

[[noreturn]] void usage_error(const std::string& message) {
  std::fprintf(stderr,
               "lies-bench-kernels: %s\n"
               "usage: lies-bench-kernels [--json] [--cases LIST] [--threads LIST] [--rows N]\n"
               "       [--inputs N] [--layers N] [--batch N] [--repeats N] [--data FILE]\n",
               message.c_str());
  std::exit(2);
}

std::vector<std::string> split_list(std::string_view text) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    if (comma > start) parts.emplace_back(text.substr(start, comma - start));
    start = comma + 1;
  }
  return parts;
}

template <typename Integer>
Integer parse_positive(std::string_view flag, std::string_view text) {
  const std::string digits(text);
  char* end = nullptr;
  const long long value = std::strtoll(digits.c_str(), &end, 10);
  if (digits.empty() || *end != '\0' || value <= 0) {
    usage_error(std::string(flag) + " needs a positive integer, got '" + std::string(text) + "'");
  }
  return static_cast<Integer>(value);
}

Options parse_options(int argc, char** argv) {
  Options options;
  for (int k = 1; k < argc; ++k) {
    const std::string_view flag = argv[k];
    if (flag == "--json") {
      options.json = true;
      continue;
    }
    if (k + 1 >= argc) usage_error("missing value after " + std::string(flag));
    const std::string_view value = argv[++k];
    if (flag == "--cases") {
      options.cases = split_list(value);
      for (const std::string& name : options.cases) {
        if (name != "forward" && name != "forward_reverse" && name != "train_epoch" &&
            name != "limit") {
          usage_error("unknown case '" + name +
                      "'; the cases are forward, forward_reverse, train_epoch, limit");
        }
      }
    } else if (flag == "--threads") {
      options.threads.clear();
      for (const std::string& part : split_list(value)) {
        options.threads.push_back(parse_positive<int>(flag, part));
      }
    } else if (flag == "--rows") {
      options.rows = parse_positive<std::size_t>(flag, value);
    } else if (flag == "--inputs") {
      options.inputs = parse_positive<std::uint32_t>(flag, value);
    } else if (flag == "--layers") {
      options.layers = parse_positive<std::uint32_t>(flag, value);
    } else if (flag == "--batch") {
      options.batch = parse_positive<std::size_t>(flag, value);
    } else if (flag == "--repeats") {
      options.repeats = parse_positive<int>(flag, value);
    } else if (flag == "--data") {
      options.data = std::string(value);
    } else {
      usage_error("unknown option " + std::string(flag));
    }
  }
  return options;
}

struct Timing {
  double median = 0.0;
  double fastest = 0.0;
  double median_cpu = 0.0;
};

double process_cpu_seconds() {
  timespec now{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + 1e-9 * static_cast<double>(now.tv_nsec);
}

// Runs `body` once to warm caches and threads, then `repeats` times.
Timing time_runs(int repeats, const std::function<void()>& body) {
  body();
  std::vector<double> seconds, cpu_seconds;
  for (int k = 0; k < repeats; ++k) {
    const double cpu_start = process_cpu_seconds();
    const auto start = std::chrono::steady_clock::now();
    body();
    seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    cpu_seconds.push_back(process_cpu_seconds() - cpu_start);
  }
  std::sort(seconds.begin(), seconds.end());
  std::sort(cpu_seconds.begin(), cpu_seconds.end());
  return {seconds[seconds.size() / 2], seconds.front(), cpu_seconds[cpu_seconds.size() / 2]};
}

class Printer {
 public:
  Printer(bool json, std::size_t params) : json_(json), params_(params) {
    if (!json_) {
      std::printf("%-16s %7s %9s %6s %10s %10s %10s %12s %12s\n", "case", "threads", "rows",
                  "batch", "median_s", "fastest_s", "cpu_s", "rows_per_s", "rows_per_cpu_s");
    }
  }

  void print(const char* name, int threads, std::size_t rows, std::size_t batch,
             const Timing& t, double rows_processed, const std::string& extra_json = "") {
    const double rate = rows_processed / t.median;
    const char* isa = autodiff::kernels::isa_name(autodiff::kernels::active().isa);
    if (json_) {
      std::printf(
          "{\"case\": \"%s\", \"threads\": %d, \"rows\": %zu, \"batch\": %zu, "
          "\"median_seconds\": %.6g, \"fastest_seconds\": %.6g, \"median_cpu_seconds\": %.6g, "
          "\"rows_per_second\": %.6g, \"isa\": \"%s\", \"params\": %zu%s}\n",
          name, threads, rows, batch, t.median, t.fastest, t.median_cpu, rate, isa, params_,
          extra_json.c_str());
    } else {
      std::printf("%-16s %7d %9zu %6zu %10.6f %10.6f %10.6f %12.4g %12.4g\n", name, threads,
                  rows, batch, t.median, t.fastest, t.median_cpu, rate,
                  rows_processed / t.median_cpu);
    }
    std::fflush(stdout);
  }

 private:
  bool json_;
  std::size_t params_;  // of the network, printed in JSON so that a caller can compare
};

bool wants(const Options& options, std::string_view name) {
  return std::find(options.cases.begin(), options.cases.end(), name) != options.cases.end();
}

int run(const Options& options) {
  Workload w;
  if (options.data.empty()) {
    w = make_workload(options.inputs, options.layers, options.rows);
  } else {
    absl::StatusOr<engine::Dataset> data = io::read_table(options.data);
    if (!data.ok()) {
      std::fprintf(stderr, "lies-bench-kernels: %s\n", std::string(data.status().message()).c_str());
      return 1;
    }
    if (data->cols() < 2) {
      std::fprintf(stderr, "lies-bench-kernels: %s has %zu column; it needs an input and a target\n",
                   options.data.c_str(), data->cols());
      return 1;
    }
    w = make_workload(*data, options.layers);
  }
  const autodiff::Columns columns = w.columns();
  const double rows = static_cast<double>(w.rows());
  Printer printer(options.json, w.params.size());
  double forward_reverse_one_thread = 0.0;

  for (int threads : options.threads) {
    autodiff::Evaluator evaluator(w.program, threads);
    if (wants(options, "forward")) {
      std::vector<double> out(w.rows());
      const Timing t = time_runs(options.repeats, [&] { evaluator.evaluate(columns, w.params, out); });
      printer.print("forward", threads, w.rows(), w.rows(), t, rows);
    }
    if (wants(options, "forward_reverse") || (wants(options, "limit") && threads == 1)) {
      std::vector<double> gradient(w.params.size());
      const SquaredErrorSeed seed{w.target.data(), 1.0 / rows};
      const Timing t = time_runs(options.repeats, [&] {
        evaluator.gradient(columns, w.params, seed, 0.0, gradient);
      });
      if (threads == 1) forward_reverse_one_thread = rows / t.median;
      if (wants(options, "forward_reverse")) {
        printer.print("forward_reverse", threads, w.rows(), w.rows(), t, rows);
      }
    }
    if (wants(options, "train_epoch")) {
      engine::TrainerOptions trainer_options;
      trainer_options.batch_size = options.batch;
      trainer_options.threads = threads;
      const std::vector<const double*> inputs = w.input_pointers();
      engine::Trainer trainer(w.program, inputs, w.target.data(), w.rows(), trainer_options);
      engine::PhaseOptions phase;
      phase.epochs = 1;
      const std::vector<bool> frozen(w.params.size(), false);
      const Timing t = time_runs(options.repeats, [&] {
        std::vector<double> params = w.params;
        trainer.run(params, frozen, phase, 3);
      });
      const std::size_t batch = std::min(options.batch, w.rows());
      const double trained = static_cast<double>(w.rows() / batch * batch);
      printer.print("train_epoch", threads, w.rows(), batch, t, trained);
    }
  }

  if (wants(options, "limit")) {
    const TranscendentalCount count = count_transcendentals(w.program);
    if (count.other != 0) {
      std::fprintf(stderr, "lies-bench-kernels: the limit case times exp, log, sin and cos only\n");
      return 1;
    }
    TranscendentalLoop loop(count, w.rows());
    const Timing t = time_runs(options.repeats, [&] { loop.run(1); });
    const double share = forward_reverse_one_thread / (rows / t.median);
    const std::string extra =
        ", \"calls_per_row\": " + std::to_string(count.total()) +
        ", \"exp\": " + std::to_string(count.exp) + ", \"log\": " + std::to_string(count.log) +
        ", \"sin\": " + std::to_string(count.sin) + ", \"cos\": " + std::to_string(count.cos) +
        ", \"forward_reverse_share\": " + std::to_string(share);
    printer.print("limit", 1, w.rows(), w.rows(), t, rows, extra);
    if (!options.json) {
      std::printf("limit: %d calls per row (exp %d, log %d, sin %d, cos %d); forward_reverse "
                  "on 1 thread reaches %.1f %% of the limit's rows per second\n",
                  count.total(), count.exp, count.log, count.sin, count.cos, 100.0 * share);
    }
  }
  return 0;
}

}  // namespace
}  // namespace lies::bench

int main(int argc, char** argv) {
  return lies::bench::run(lies::bench::parse_options(argc, argv));
}
