// lies-bench: run lies on a table of benchmark equations and score the formulas it finds.
//
//   lies-bench --equations FeynmanEquations.csv --rows 10000 --seeds 1 --jobs 2 --out r.csv
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <exception>
#include <iostream>
#include <mutex>
#include <optional>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "cli.hpp"
#include "lies/lies.hpp"

ABSL_FLAG(std::string, equations, "",
          "Equation table in the AI Feynman format: Filename, Output, Formula and "
          "vK_name, vK_low, vK_high columns (required).");
ABSL_FLAG(int, rows, 10000, "Training rows generated for each equation.");
ABSL_FLAG(int, test_rows, 1000,
          "Held-out rows generated for each equation; the fit does not see them.");
ABSL_FLAG(int, seeds, 1, "Runs per equation, with seeds 0 to K-1 for data and fit.");
ABSL_FLAG(double, noise, 0.0,
          "Standard deviation of Gaussian noise on the training target, as a multiple of "
          "its root mean square (0: none). Held-out rows stay noise-free.");
ABSL_FLAG(int, jobs, 1, "Equations fitted at the same time.");
ABSL_FLAG(int, threads, 0,
          "Threads in all (0: all cores); each fit gets threads/jobs, at least 1.");
ABSL_FLAG(std::string, filter, "",
          "Run only equations whose name contains a match of this regular expression "
          "(ECMAScript syntax), such as '^I\\.' or 'II\\.3[4-8]'.");
ABSL_FLAG(std::string, out, "", "Write one CSV row per equation and seed to this file.");
ABSL_FLAG(int, epochs, 0, "Training epochs of each trial of a fit (0: the fit's default).");
ABSL_FLAG(int, trials, 0,
          "Independent training runs of each fit; the best formula wins (0: the fit's "
          "default).");
ABSL_FLAG(double, time_limit, 0,
          "Time limit of each fit in seconds (0: none). A fit cut by its limit depends on "
          "the machine's speed, so results are no longer reproducible.");
ABSL_FLAG(bool, subsample, true,
          "Hold out rows of each fit for validation and model selection.");
ABSL_FLAG(bool, oversample, true, "Retrain with extra rows from the worst-fitted region.");
ABSL_FLAG(bool, eliminate, true, "Eliminate weights by refitting, and offer sparser variants.");
ABSL_FLAG(bool, refine, true, "Refit constants and snap them to simple values.");
ABSL_FLAG(bool, both_spaces, true, "Alternate trials between log and linear space.");
ABSL_FLAG(int, points, 200, "Random points at which a formula is checked against the truth.");
ABSL_FLAG(double, tolerance, 1e-12,
          "Largest relative spread of truth - formula or truth / formula that counts as "
          "constant (see lies-verify --help).");

namespace {

constexpr char kTool[] = "lies-bench";

constexpr char kUsage[] =
    "Usage: lies-bench --equations TABLE [--rows N] [--seeds K] [--noise SIGMA] [--jobs J]\n"
    "                  [--filter REGEX] [--out results.csv] [--no-STAGE ...]\n"
    "\n"
    "For every equation of TABLE and every seed, generates training and held-out rows\n"
    "(inputs uniform in the listed ranges, the target from the formula, optional noise),\n"
    "fits a formula with lies, and checks it against the truth. A formula counts as solved\n"
    "when truth - formula or truth / formula is constant in 100-digit arithmetic (see\n"
    "lies-verify --help).\n"
    "\n"
    "Progress goes to stderr, one line per finished run. A run that fails (a formula that\n"
    "does not parse, a range that is not a number, a fit error) becomes a row with the\n"
    "error, and the others go on. At the end a summary goes to stdout: the solved count\n"
    "and share, the share with held-out R² > 0.999 and the median fit time.\n"
    "\n"
    "--out writes the columns name, seed, solved (1 or 0), verdict, r2_test (held-out\n"
    "R²), complexity, seconds (of the fit), formula and error. The file is rewritten after\n"
    "every run, so an interrupted benchmark keeps the finished rows.\n"
    "\n"
    "Results depend only on the equation, the seed and the options other than --jobs,\n"
    "--threads and --filter.\n"
    "Exit status: 0 the benchmark ran (even when runs failed), 2 bad input, 1 internal error.\n";

using lies::cli::kExitBadInput;
using lies::cli::kExitOk;

struct Settings {
  std::string table_path;  // of --equations, for error messages
  std::size_t rows = 0;
  std::size_t test_rows = 0;
  double noise = 0.0;
  // Options of every fit (threads per fit, epochs, trials, time limit, stage switches);
  // run_task sets the target and the seed.
  lies::FitOptions fit;
  lies::SolutionOptions verification;
};

struct Task {
  const lies::Equation* equation = nullptr;
  std::uint64_t seed = 0;
};

struct Outcome {
  bool done = false;
  bool solved = false;
  std::string verdict;            // lies::to_string(Verdict), or "error"
  std::optional<double> r2_test;  // held-out R²
  std::optional<std::uint64_t> complexity;
  std::optional<double> seconds;  // of the fit
  std::string formula;
  std::string error;
};

absl::Status bad_input(std::string message) {
  return absl::InvalidArgumentError(std::move(message));
}

// Returns the seed of an equation's data: the same for a name and seed in every run,
// whichever other equations run.
std::uint64_t data_seed(const std::string& name, std::uint64_t seed) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;  // FNV-1a
  for (const char c : name) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  return lies::mix_seed(hash, seed);
}

// Returns the equation's output name, with "_out" appended while it is a variable's name.
std::string target_name(const lies::Equation& equation) {
  std::string name = equation.output;
  auto taken = [&](const std::string& candidate) {
    return std::any_of(equation.variables.begin(), equation.variables.end(),
                       [&](const lies::VariableRange& v) { return v.name == candidate; });
  };
  while (taken(name)) name += "_out";
  return name;
}

Outcome failure(std::string error) {
  Outcome outcome;
  outcome.verdict = "error";
  outcome.error = std::move(error);
  return outcome;
}

// Generates the data of one equation and seed, fits it and scores the formula.
Outcome run_task(const Task& task, const Settings& settings) {
  const lies::Equation& equation = *task.equation;
  if (!equation.error.empty()) return failure(equation.error);

  lies::ParseOptions parse_options;
  for (const lies::VariableRange& range : equation.variables) {
    parse_options.variables.push_back(range.name);
  }
  parse_options.add_unknown_variables = false;
  const absl::StatusOr<lies::Formula> truth = lies::Formula::parse(equation.formula, parse_options);
  if (!truth.ok()) {
    return failure(absl::StrFormat("%s:%d: the Formula field: %s", settings.table_path,
                                   equation.line, truth.status().message()));
  }

  const std::uint64_t seed = data_seed(equation.name, task.seed);
  lies::GenerateOptions generate;
  generate.rows = settings.rows;
  generate.test_rows = settings.test_rows;
  generate.seed = seed;
  generate.noise = settings.noise;
  const std::string target = target_name(equation);
  const absl::StatusOr<lies::GeneratedData> data =
      lies::generate_data(*truth, equation.variables, target, generate);
  if (!data.ok()) return failure(absl::StrCat("data: ", data.status().message()));

  lies::FitOptions fit_options = settings.fit;
  fit_options.target = target;
  fit_options.seed = task.seed;
  const absl::StatusOr<lies::FitResult> fit = lies::fit(data->train, fit_options);
  if (!fit.ok()) return failure(absl::StrCat("fit: ", fit.status().message()));

  Outcome outcome;
  outcome.seconds = fit->seconds;
  outcome.complexity = fit->formula.complexity();
  const absl::StatusOr<std::string> formula = fit->formula.print();
  outcome.formula =
      formula.ok() ? *formula : absl::StrCat("(not printable: ", formula.status().message(), ")");

  if (settings.test_rows > 0) {
    const absl::StatusOr<lies::Accuracy> held_out =
        lies::measure_accuracy_in_double(fit->formula, data->test, target);
    if (!held_out.ok()) return failure(absl::StrCat("R²: ", held_out.status().message()));
    outcome.r2_test = held_out->r2;
  }

  lies::SolutionOptions verification = settings.verification;
  verification.seed = seed;
  const absl::StatusOr<lies::SolutionCheck> check =
      lies::check_solution(*truth, fit->formula, equation.variables, verification);
  if (!check.ok()) return failure(absl::StrCat("verify: ", check.status().message()));
  outcome.solved = check->verdict == lies::Verdict::kSolution;
  outcome.verdict = std::string(lies::to_string(check->verdict));
  return outcome;
}

// Quotes a CSV field when it contains a comma, a quote or a line break (RFC 4180).
std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (const char c : text) {
    quoted += c;
    if (c == '"') quoted += '"';
  }
  return quoted + "\"";
}

std::string results_csv(const std::vector<Task>& tasks, const std::vector<Outcome>& outcomes) {
  std::string csv = "name,seed,solved,verdict,r2_test,complexity,seconds,formula,error\n";
  for (std::size_t k = 0; k < tasks.size(); ++k) {
    const Outcome& o = outcomes[k];
    if (!o.done) continue;
    absl::StrAppend(&csv, csv_field(tasks[k].equation->name), ",", tasks[k].seed, ",",
                    o.solved ? 1 : 0, ",", csv_field(o.verdict), ",",
                    o.r2_test ? absl::StrFormat("%.17g", *o.r2_test) : "", ",",
                    o.complexity ? absl::StrCat(*o.complexity) : "", ",",
                    o.seconds ? absl::StrFormat("%.3f", *o.seconds) : "", ",", csv_field(o.formula),
                    ",", csv_field(o.error), "\n");
  }
  return csv;
}

std::string progress_line(std::size_t finished, std::size_t total, const Task& task,
                          const Outcome& o) {
  std::string line = absl::StrFormat("[%*d/%d] %s seed %d: ", absl::StrCat(total).size(), finished,
                                     total, task.equation->name, task.seed);
  if (!o.error.empty()) return line + "error: " + o.error;
  absl::StrAppend(&line, o.verdict);
  if (o.r2_test) absl::StrAppendFormat(&line, ", R² %.6g", *o.r2_test);
  if (o.seconds) absl::StrAppendFormat(&line, ", %.1f s", *o.seconds);
  return absl::StrCat(line, ": ", o.formula);
}

absl::StatusOr<Settings> read_settings() {
  Settings settings;
  const int rows = absl::GetFlag(FLAGS_rows);
  const int test_rows = absl::GetFlag(FLAGS_test_rows);
  if (rows < static_cast<int>(lies::kMinRows)) {
    return bad_input(
        absl::StrFormat("--rows is %d; a fit needs at least %d", rows, lies::kMinRows));
  }
  if (test_rows < 0) {
    return bad_input(absl::StrFormat("--test-rows is %d; use 0 or more", test_rows));
  }
  settings.rows = static_cast<std::size_t>(rows);
  settings.test_rows = static_cast<std::size_t>(test_rows);

  settings.noise = absl::GetFlag(FLAGS_noise);
  if (!(settings.noise >= 0.0 && std::isfinite(settings.noise))) {
    return bad_input(
        absl::StrFormat("--noise is %g; use 0 or a positive number such as 0.01", settings.noise));
  }

  if (absl::GetFlag(FLAGS_seeds) < 1) {
    return bad_input(absl::StrFormat("--seeds is %d; use 1 or more", absl::GetFlag(FLAGS_seeds)));
  }
  if (absl::GetFlag(FLAGS_jobs) < 1) {
    return bad_input(absl::StrFormat("--jobs is %d; use 1 or more", absl::GetFlag(FLAGS_jobs)));
  }
  if (absl::GetFlag(FLAGS_threads) < 0) {
    return bad_input(absl::StrFormat("--threads is %d; use 0 (all cores) or more",
                                     absl::GetFlag(FLAGS_threads)));
  }

  settings.table_path = absl::GetFlag(FLAGS_equations);
  const int epochs = absl::GetFlag(FLAGS_epochs);
  const int trials = absl::GetFlag(FLAGS_trials);
  const double time_limit = absl::GetFlag(FLAGS_time_limit);
  if (!(time_limit >= 0.0)) {
    return bad_input(absl::StrFormat("--time-limit is %g; use 0 (no limit) or a number of seconds",
                                     time_limit));
  }
  if (epochs != 0 && epochs < 4) {
    return bad_input(
        absl::StrFormat("--epochs is %d; use 0 (the fit's default) or at least 4", epochs));
  }
  if (trials < 0) {
    return bad_input(
        absl::StrFormat("--trials is %d; use 0 (the fit's default) or more", trials));
  }
  if (epochs > 0) settings.fit.epochs = epochs;
  if (trials > 0) settings.fit.trials = trials;
  settings.fit.time_limit_seconds = time_limit;
  settings.fit.subsample = absl::GetFlag(FLAGS_subsample);
  settings.fit.oversample = absl::GetFlag(FLAGS_oversample);
  settings.fit.eliminate = absl::GetFlag(FLAGS_eliminate);
  settings.fit.refine = absl::GetFlag(FLAGS_refine);
  settings.fit.both_spaces = absl::GetFlag(FLAGS_both_spaces);

  settings.verification.points = absl::GetFlag(FLAGS_points);
  settings.verification.tolerance = absl::GetFlag(FLAGS_tolerance);
  if (settings.verification.points < static_cast<int>(lies::kMinValidPoints) ||
      settings.verification.points > lies::kMaxPoints) {
    return bad_input(absl::StrFormat("--points is %d; use %d to %d", settings.verification.points,
                                     lies::kMinValidPoints, lies::kMaxPoints));
  }
  if (!(settings.verification.tolerance >= 0.0 && settings.verification.tolerance <= 1.0)) {
    return bad_input(absl::StrFormat("--tolerance is %g; use a value from 0 to 1 such as 1e-12",
                                     settings.verification.tolerance));
  }

  const int threads = absl::GetFlag(FLAGS_threads) > 0
                          ? absl::GetFlag(FLAGS_threads)
                          : static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
  settings.fit.threads = std::max(1, threads / absl::GetFlag(FLAGS_jobs));
  return settings;
}

// Returns the equations whose name matches --filter, or all of them.
absl::StatusOr<std::vector<const lies::Equation*>> select_equations(
    const std::vector<lies::Equation>& equations) {
  const std::string filter = absl::GetFlag(FLAGS_filter);
  std::optional<std::regex> pattern;
  if (!filter.empty()) {
    try {
      pattern.emplace(filter, std::regex::ECMAScript);
    } catch (const std::regex_error& error) {
      return bad_input(absl::StrFormat("--filter '%s' is not a valid regular expression: %s",
                                       filter, error.what()));
    }
  }
  std::vector<const lies::Equation*> selected;
  for (const lies::Equation& equation : equations) {
    if (!pattern || std::regex_search(equation.name, *pattern)) selected.push_back(&equation);
  }
  if (selected.empty()) {
    return bad_input(filter.empty()
                         ? absl::StrFormat("%s has no equations", absl::GetFlag(FLAGS_equations))
                         : absl::StrFormat("no equation name matches --filter '%s'", filter));
  }
  return selected;
}

double median(std::vector<double> values) {
  if (values.empty()) return 0.0;
  std::sort(values.begin(), values.end());
  const std::size_t middle = values.size() / 2;
  return values.size() % 2 == 1 ? values[middle] : 0.5 * (values[middle - 1] + values[middle]);
}

// Lists the fit stages that `options` switch off, or returns "none".
std::string stages_off(const lies::FitOptions& options) {
  std::vector<std::string> off;
  if (!options.subsample) off.push_back("subsample");
  if (!options.oversample) off.push_back("oversample");
  if (!options.eliminate) off.push_back("eliminate");
  if (!options.refine) off.push_back("refine");
  if (!options.both_spaces) off.push_back("both-spaces");
  return off.empty() ? "none" : absl::StrJoin(off, ", ");
}

void print_summary(const std::vector<Outcome>& outcomes, std::size_t equations, int seeds,
                   const Settings& settings, double wall_seconds) {
  const std::size_t runs = outcomes.size();
  std::size_t solved = 0;
  std::size_t accurate = 0;
  std::size_t errors = 0;
  std::vector<double> seconds;
  for (const Outcome& o : outcomes) {
    solved += o.solved ? 1 : 0;
    accurate += o.r2_test && *o.r2_test > 0.999 ? 1 : 0;
    errors += o.error.empty() ? 0 : 1;
    if (o.seconds) seconds.push_back(*o.seconds);
  }
  auto share = [&](std::size_t count) {
    return absl::StrFormat("%d of %d (%.1f %%)", count, runs,
                           100.0 * static_cast<double>(count) / static_cast<double>(runs));
  };
  std::cout << absl::StrFormat("runs                %d (%d equation%s × %d seed%s)\n", runs,
                               equations, equations == 1 ? "" : "s", seeds, seeds == 1 ? "" : "s");
  std::cout << "stages off          " << stages_off(settings.fit) << "\n";
  std::cout << "solved              " << share(solved) << "\n";
  std::cout << "R² > 0.999          " << share(accurate) << " on held-out rows\n";
  std::cout << "errors              " << errors << "\n";
  std::cout << absl::StrFormat("median fit time     %.2f s\n", median(seconds));
  std::cout << absl::StrFormat("wall time           %.1f s\n", wall_seconds);
}

int run() {
  const auto start = std::chrono::steady_clock::now();
  const std::string path = absl::GetFlag(FLAGS_equations);
  if (path.empty()) {
    return lies::cli::report(
        kTool, bad_input("missing --equations; give the path of an equation table in the AI "
                         "Feynman format"));
  }
  const absl::StatusOr<Settings> settings = read_settings();
  if (!settings.ok()) return lies::cli::report(kTool, settings.status());
  const absl::StatusOr<std::vector<lies::Equation>> equations = lies::read_equation_table(path);
  if (!equations.ok()) return lies::cli::report(kTool, equations.status());
  const absl::StatusOr<std::vector<const lies::Equation*>> selected = select_equations(*equations);
  if (!selected.ok()) return lies::cli::report(kTool, selected.status());

  const int seeds = absl::GetFlag(FLAGS_seeds);
  std::vector<Task> tasks;
  for (const lies::Equation* equation : *selected) {
    for (int seed = 0; seed < seeds; ++seed)
      tasks.push_back({equation, static_cast<std::uint64_t>(seed)});
  }
  const std::string out = absl::GetFlag(FLAGS_out);
  std::vector<Outcome> outcomes(tasks.size());
  if (!out.empty()) {
    // Fail now, not after hours of fitting, when the file cannot be written.
    if (absl::Status status = lies::write_file_atomically(out, results_csv(tasks, outcomes));
        !status.ok()) {
      return lies::cli::report(kTool, status);
    }
  }

  const int jobs = std::min(absl::GetFlag(FLAGS_jobs), static_cast<int>(tasks.size()));
  auto plural = [](std::size_t count, std::string_view word) {
    return absl::StrFormat("%d %s%s", count, word, count == 1 ? "" : "s");
  };
  std::cerr << absl::StrFormat("%s: %s of %s, %s of %s each\n", kTool, plural(tasks.size(), "run"),
                               plural(selected->size(), "equation"), plural(jobs, "job"),
                               plural(settings->fit.threads, "thread"));

  std::atomic<std::size_t> next{0};
  std::mutex mutex;
  std::size_t finished = 0;
  absl::Status write_status;
  auto work = [&]() {
    for (std::size_t k = next++; k < tasks.size(); k = next++) {
      Outcome outcome;
      try {
        outcome = run_task(tasks[k], *settings);
      } catch (const std::exception& error) {
        outcome = failure(absl::StrCat("internal error: ", error.what()));
      }
      outcome.done = true;
      const std::lock_guard<std::mutex> lock(mutex);
      outcomes[k] = std::move(outcome);
      ++finished;
      std::cerr << progress_line(finished, tasks.size(), tasks[k], outcomes[k]) << std::endl;
      if (!out.empty() && write_status.ok()) {
        write_status = lies::write_file_atomically(out, results_csv(tasks, outcomes));
      }
    }
  };
  std::vector<std::thread> workers;
  for (int j = 0; j < jobs; ++j) workers.emplace_back(work);
  for (std::thread& worker : workers) worker.join();

  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  print_summary(outcomes, selected->size(), seeds, *settings, wall);
  if (!write_status.ok()) return lies::cli::report(kTool, write_status);
  return kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args = lies::cli::parse_command_line(argc, argv, kUsage, __FILE__);
  if (!args.empty()) {
    std::cerr << kTool << ": unexpected argument '" << args[0]
              << "'; give the table with --equations (see " << kTool << " --help)\n";
    return kExitBadInput;
  }
  return run();
}
