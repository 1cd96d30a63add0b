// Tests of the saved-graph format: exact round trips, and one test per kind of rejected file.
#include "io/saved_graph.hpp"

#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

#include "engine/random.hpp"
#include "nlohmann/json.hpp"

namespace lies::io {
namespace {

using Json = nlohmann::ordered_json;

// y = 2.5·x1^2/x2 on x1, x2 in [1, 5].
engine::Dataset power_law(std::size_t rows) {
  engine::Rng rng(7);
  engine::Dataset data;
  data.source = "generated";
  data.names = {"x1", "x2", "y"};
  data.columns.assign(3, {});
  for (std::size_t r = 0; r < rows; ++r) {
    const double x1 = rng.uniform(1, 5);
    const double x2 = rng.uniform(1, 5);
    data.columns[0].push_back(x1);
    data.columns[1].push_back(x2);
    data.columns[2].push_back(2.5 * x1 * x1 / x2);
  }
  return data;
}

Producer test_producer() {
  Producer producer;
  producer.tool = "saved_graph_test";
  producer.version = "1.2.3";
  producer.seed = 42;
  producer.options = {{"epochs", "20"}, {"log_space", "auto"}};
  return producer;
}

// A small valid file: y = plog(2*x), whose protected log saw arguments in [2, 4].
Json minimal_file() {
  return Json::parse(R"({
    "format": "lies saved graph",
    "version": 1,
    "producer": {"tool": "test", "version": "0", "seed": 0, "options": {}},
    "inputs": [{"name": "x", "scale": 1.0, "min": 1.0, "max": 2.0}],
    "target": {"name": "y", "log_space": false, "sign": 1.0, "offset": 0.0, "scale": 1.0},
    "output": 3,
    "params": [2.0],
    "nodes": [
      {"op": "input", "index": 0},
      {"op": "param", "index": 0},
      {"op": "mul", "children": [0, 1]},
      {"op": "plog", "children": [2], "limit": 0.005, "argument_range": [2.0, 4.0]}
    ]
  })");
}

// Parses `text` and returns the error message, failing the test if it parses.
std::string rejection(const std::string& text, const SavedGraphLimits& limits = {}) {
  const auto parsed = parse_saved_graph(text, "bad.json", limits);
  REQUIRE_FALSE(parsed.ok());
  CHECK(parsed.status().code() == absl::StatusCode::kInvalidArgument);
  const std::string message(parsed.status().message());
  CHECK(message.rfind("bad.json: ", 0) == 0);
  return message;
}

std::string rejection(const std::function<void(Json&)>& change) {
  Json file = minimal_file();
  change(file);
  return rejection(file.dump(2));
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST_SUITE("Saved graph") {
  TEST_CASE("Saved graph: save, load, save gives the same bytes") {
    engine::FitOptions options;
    options.epochs = 20;
    options.trials = 2;
    options.threads = 2;
    const engine::Dataset data = power_law(300);
    const auto fit = engine::fit(data, options);
    REQUIRE(fit.ok());

    const SavedGraph saved = saved_graph_from_fit(*fit, data, test_producer());
    const std::string first = format_saved_graph(saved);
    const auto loaded = parse_saved_graph(first, "first");
    REQUIRE_MESSAGE(loaded.ok(), loaded.status().message());
    CHECK(format_saved_graph(*loaded) == first);

    CHECK(loaded->network.graph.size() == fit->network.graph.size());
    CHECK(loaded->network.output == fit->network.output);
    CHECK(loaded->network.params == fit->network.params);
    CHECK(loaded->network.protected_ranges == fit->network.protected_ranges);
    CHECK(loaded->network.transform.log_space == fit->network.transform.log_space);
    CHECK(loaded->network.transform.input_scale == fit->network.transform.input_scale);
    CHECK(loaded->network.transform.target_offset == fit->network.transform.target_offset);
    CHECK(loaded->network.transform.target_scale == fit->network.transform.target_scale);
    CHECK(loaded->target_name == "y");
    REQUIRE(loaded->inputs.size() == 2);
    CHECK(loaded->inputs[0].name == "x1");
    CHECK(loaded->inputs[1].min >= 1.0);
    CHECK(loaded->inputs[1].max <= 5.0);
    CHECK(loaded->producer.tool == "saved_graph_test");
    CHECK(loaded->producer.seed == 42);
    CHECK(loaded->producer.options == test_producer().options);
    for (engine::NodeId id = 0; id < loaded->network.graph.size(); ++id) {
      CHECK(loaded->network.graph.node(id) == fit->network.graph.node(id));
    }
  }

  TEST_CASE("Saved graph: protected ranges round-trip") {
    const auto loaded = parse_saved_graph(minimal_file().dump(), "minimal");
    REQUIRE_MESSAGE(loaded.ok(), loaded.status().message());
    REQUIRE(loaded->network.protected_ranges.count(3) == 1);
    CHECK(loaded->network.protected_ranges.at(3) == std::pair<double, double>{2.0, 4.0});
    const std::string text = format_saved_graph(*loaded);
    const auto again = parse_saved_graph(text, "again");
    REQUIRE(again.ok());
    CHECK(format_saved_graph(*again) == text);
    CHECK(domain_facts(*again).positive_inputs == std::vector<bool>{true});
  }

  TEST_CASE("Saved graph: text that is not JSON") {
    CHECK(contains(rejection("hello"), "not valid JSON"));
    CHECK(contains(rejection(""), "not valid JSON"));
    CHECK(contains(rejection("[1, 2]"), "not a JSON object"));
  }

  TEST_CASE("Saved graph: truncated file") {
    const std::string text = minimal_file().dump(2);
    const std::string message = rejection(text.substr(0, text.size() / 2));
    CHECK(contains(message, "not valid JSON (is the file truncated?)"));
    CHECK(contains(message, "line"));
  }

  TEST_CASE("Saved graph: another format") {
    CHECK(contains(rejection([](Json& f) { f["format"] = "something else"; }),
                   "not a lies saved graph: field 'format' must be \"lies saved graph\""));
    CHECK(contains(rejection([](Json& f) { f.erase("format"); }), "not a lies saved graph"));
  }

  TEST_CASE("Saved graph: newer format version") {
    CHECK(contains(rejection([](Json& f) { f["version"] = 2; }),
                   "format version 2 is newer than this lies reads (version 1 and older); update lies"));
    CHECK(contains(rejection([](Json& f) { f["version"] = 0; }), "'version' must be at least 1"));
    CHECK(contains(rejection([](Json& f) { f["version"] = "1"; }),
                   "field 'version' must be a non-negative integer"));
  }

  TEST_CASE("Saved graph: unknown node kind") {
    const std::string message = rejection([](Json& f) { f["nodes"][2]["op"] = "frobnicate"; });
    CHECK(contains(message, "node 2: unknown node kind 'frobnicate'"));
    CHECK(contains(message, "input, const, param, add"));
  }

  TEST_CASE("Saved graph: wrong number of children") {
    CHECK(contains(rejection([](Json& f) { f["nodes"][2]["children"] = Json::array({0}); }),
                   "node 2 (mul): expected 2 children, found 1"));
    CHECK(contains(rejection([](Json& f) { f["nodes"][3]["children"] = Json::array({0, 1}); }),
                   "node 3 (plog): expected 1 children, found 2"));
    CHECK(contains(rejection([](Json& f) { f["nodes"][0]["children"] = Json::array(); }),
                   "node 0 (input): unknown field 'children'"));
  }

  TEST_CASE("Saved graph: child not before its parent") {
    CHECK(contains(rejection([](Json& f) { f["nodes"][2]["children"] = Json::array({0, 2}); }),
                   "node 2 (mul): child 2 is not smaller than the node's index 2"));
    CHECK(contains(rejection([](Json& f) { f["nodes"][2]["children"] = Json::array({0, 7}); }),
                   "node 2 (mul): child 7 is not smaller"));
    CHECK(contains(rejection([](Json& f) { f["nodes"][2]["children"] = Json::array({0, -1}); }),
                   "node 2 (mul): child 1 must be a non-negative integer, not -1"));
  }

  TEST_CASE("Saved graph: index out of range") {
    CHECK(contains(rejection([](Json& f) { f["nodes"][1]["index"] = 5; }),
                   "node 1 (param): param index 5 is out of range; the file has 1 params"));
    CHECK(contains(rejection([](Json& f) { f["nodes"][0]["index"] = 1; }),
                   "node 0 (input): input index 1 is out of range; the file has 1 inputs"));
    CHECK(contains(rejection([](Json& f) { f["output"] = 4; }),
                   "output: node 4 is out of range; the file has 4 nodes"));
  }

  TEST_CASE("Saved graph: NaN or infinite numbers") {
    CHECK(contains(rejection([](Json& f) {
                     f["nodes"][1] = Json::parse(R"({"op": "const", "value": null})");
                   }),
                   "node 1 (const): field 'value' must be a number"));
    Json file = minimal_file();
    file["nodes"][1] = Json::parse(R"({"op": "const", "value": 1.5})");
    std::string text = file.dump();
    text.replace(text.find("1.5"), 3, "1e999");
    CHECK(contains(rejection(text), "not valid JSON: number overflow parsing '1e999'"));
    CHECK(contains(rejection([](Json& f) { f["params"][0] = nullptr; }),
                   "params: param 0 must be a number"));
    CHECK(contains(rejection([](Json& f) { f["inputs"][0]["scale"] = "inf"; }),
                   "input 0: field 'scale' must be a number"));
    CHECK(contains(rejection([](Json& f) { f["nodes"][3]["limit"] = nullptr; }),
                   "node 3 (plog): field 'limit' must be a number"));
    CHECK(contains(rejection([](Json& f) { f["nodes"][3]["argument_range"] = Json::array({1.0}); }),
                   "node 3 (plog): field 'argument_range' must be an array [low, high]"));
  }

  TEST_CASE("Saved graph: duplicate node") {
    CHECK(contains(rejection([](Json& f) { f["nodes"][1] = Json::parse(R"({"op": "input", "index": 0})"); }),
                   "node 1 (input): duplicates node 0"));
  }

  TEST_CASE("Saved graph: unknown or missing fields") {
    CHECK(contains(rejection([](Json& f) { f["nodes"][0]["colour"] = "red"; }),
                   "node 0 (input): unknown field 'colour'; expected op, index"));
    CHECK(contains(rejection([](Json& f) { f["comment"] = "hi"; }),
                   "the file: unknown field 'comment'"));
    CHECK(contains(rejection([](Json& f) { f.erase("nodes"); }), "the file: missing field 'nodes'"));
    CHECK(contains(rejection([](Json& f) { f["target"].erase("name"); }),
                   "target: missing field 'name'"));
    CHECK(contains(rejection([](Json& f) { f["producer"]["options"]["epochs"] = 3; }),
                   "producer options: option 'epochs' must be a string"));
    CHECK(contains(rejection([](Json& f) { f["target"]["sign"] = 2; }),
                   "target: field 'sign' must be 1 or -1"));
    CHECK(contains(rejection([](Json& f) { f["nodes"] = Json::array(); }),
                   "nodes: the graph has no node"));
  }

  TEST_CASE("Saved graph: more nodes than the limit") {
    SavedGraphLimits limits;
    limits.max_nodes = 3;
    CHECK(contains(rejection(minimal_file().dump(), limits), "nodes: 4 nodes, more than the limit of 3"));
    limits.max_nodes = 4;
    CHECK(parse_saved_graph(minimal_file().dump(), "ok", limits).ok());
  }

  TEST_CASE("Saved graph: expression deeper than the limit") {
    SavedGraphLimits limits;
    limits.max_depth = 2;
    CHECK(contains(rejection(minimal_file().dump(), limits),
                   "node 3: the expression is deeper than the limit of 2 nodes"));
    limits.max_depth = 3;
    CHECK(parse_saved_graph(minimal_file().dump(), "ok", limits).ok());
  }

  TEST_CASE("Saved graph: nesting deeper than the limit") {
    const std::string deep = std::string(100, '[') + std::string(100, ']');
    CHECK(contains(rejection(deep), "nesting deeper than 32 at byte 33"));
    // A hostile file nested a million levels deep is rejected before the parser recurses.
    const std::string hostile = std::string(1'000'000, '[');
    CHECK(contains(rejection(hostile), "nesting deeper than 32"));
    // Brackets inside strings do not count.
    Json file = minimal_file();
    file["producer"]["tool"] = std::string(100, '[');
    CHECK(parse_saved_graph(file.dump(), "strings").ok());
  }

  TEST_CASE("Saved graph: file larger than the limit") {
    SavedGraphLimits limits;
    limits.max_bytes = 100;
    CHECK(contains(rejection(minimal_file().dump(), limits), "more than the limit of 100"));
  }

  TEST_CASE("Saved graph: read_saved_graph reports the path") {
    const auto missing = read_saved_graph("/nonexistent/lies-graph.json");
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.status().code() == absl::StatusCode::kNotFound);
    CHECK(contains(std::string(missing.status().message()), "/nonexistent/lies-graph.json: file not found"));

    const auto directory = read_saved_graph(std::filesystem::temp_directory_path().string());
    REQUIRE_FALSE(directory.ok());
    CHECK(contains(std::string(directory.status().message()), "is a directory"));

    const std::filesystem::path path =
        std::filesystem::temp_directory_path() / ("lies-saved-graph-test-" + std::to_string(::getpid()) + ".json");
    std::ofstream(path) << minimal_file().dump();
    const auto read = read_saved_graph(path.string());
    CHECK(read.ok());
    std::filesystem::remove(path);
  }
}

}  // namespace
}  // namespace lies::io
