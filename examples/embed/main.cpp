// Fits the kinetic energy E = m v^2 / 2 from rows built in memory, then prints the formula
// that lies finds, its R², and its value at a new point.
#include <cstdlib>
#include <iostream>
#include <random>
#include <vector>

#include <lies/lies.hpp>

int main() {
  // 500 rows of mass m (kg), speed v (m/s) and kinetic energy E (J).
  std::mt19937_64 generator(42);
  std::uniform_real_distribution<double> mass(1.0, 10.0);
  std::uniform_real_distribution<double> speed(0.5, 20.0);
  std::vector<double> m, v, e;
  for (int row = 0; row < 500; ++row) {
    m.push_back(mass(generator));
    v.push_back(speed(generator));
    e.push_back(0.5 * m.back() * v.back() * v.back());
  }
  absl::StatusOr<lies::Table> table =
      lies::Table::from_columns({"m", "v", "E"}, {m, v, e}, "kinetic energy");
  if (!table.ok()) {
    std::cerr << "embed: " << table.status().message() << "\n";
    return EXIT_FAILURE;
  }

  // Fit E from every other column.
  lies::FitOptions options;
  options.target = "E";
  absl::StatusOr<lies::FitResult> result = lies::fit(*table, options);
  if (!result.ok()) {
    std::cerr << "embed: " << result.status().message() << "\n";
    return EXIT_FAILURE;
  }
  std::cout << result->target_name << " = " << result->formula.to_string() << "\n";
  std::cout << "R² = " << result->r2 << "\n";

  // Evaluate the formula at m = 2 kg, v = 3 m/s; columns are found by name.
  absl::StatusOr<lies::Table> point = lies::Table::from_columns({"m", "v"}, {{2.0}, {3.0}});
  if (!point.ok()) {
    std::cerr << "embed: " << point.status().message() << "\n";
    return EXIT_FAILURE;
  }
  absl::StatusOr<std::vector<double>> energy = result->formula.evaluate(*point);
  if (!energy.ok()) {
    std::cerr << "embed: " << energy.status().message() << "\n";
    return EXIT_FAILURE;
  }
  std::cout << "E(m = 2, v = 3) = " << energy->front() << "\n";
  return EXIT_SUCCESS;
}
