#include "io/saved_graph.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <memory>
#include <optional>
#include <system_error>

#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "engine/check.hpp"
#include "nlohmann/json.hpp"

namespace lies::io {
namespace {

using engine::Graph;
using engine::kNoNode;
using engine::Node;
using engine::NodeId;
using engine::Op;
using Json = nlohmann::ordered_json;

constexpr std::string_view kFormatName = "lies saved graph";

// ---------------------------------------------------------------------------------------------
// Writing

Json producer_json(const Producer& producer) {
  Json options = Json::object();
  for (const auto& [name, value] : producer.options) options[name] = value;
  Json json;
  json["tool"] = producer.tool;
  json["version"] = producer.version;
  json["seed"] = producer.seed;
  json["options"] = std::move(options);
  return json;
}

Json node_json(const engine::TrainedNetwork& network, NodeId id) {
  const Node& node = network.graph.node(id);
  Json json;
  json["op"] = std::string(engine::spelling(node.op));
  switch (node.op) {
    case Op::Input:
    case Op::Param:
      json["index"] = node.index;
      break;
    case Op::Constant:
      json["value"] = node.value;
      break;
    default: {
      Json children = Json::array();
      for (int k = 0; k < engine::arity(node.op); ++k) children.push_back(node.child[k]);
      json["children"] = std::move(children);
      break;
    }
  }
  if (node.op == Op::ProtLog || node.op == Op::ProtExp) {
    json["limit"] = node.value;
    const auto range = network.protected_ranges.find(id);
    if (range != network.protected_ranges.end() && std::isfinite(range->second.first) &&
        std::isfinite(range->second.second)) {
      json["argument_range"] = Json::array({range->second.first, range->second.second});
    }
  }
  return json;
}

// Appends `"key": [` and one element per line, each dumped compactly.
void append_array(std::string& out, std::string_view key, const std::vector<Json>& items,
                  bool last) {
  out += absl::StrFormat("  \"%s\": [", key);
  for (std::size_t k = 0; k < items.size(); ++k) {
    out += k == 0 ? "\n    " : ",\n    ";
    out += items[k].dump();
  }
  out += items.empty() ? "]" : "\n  ]";
  out += last ? "\n" : ",\n";
}

// ---------------------------------------------------------------------------------------------
// Reading

absl::Status invalid(std::string_view source, std::string_view message) {
  return absl::InvalidArgumentError(absl::StrFormat("%s: %s", source, message));
}

// Rejects nesting deeper than `max_depth` before the recursive JSON parser reads the text.
// Brackets inside strings do not count.
absl::Status check_nesting(std::string_view text, std::string_view source, int max_depth) {
  int depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (std::size_t at = 0; at < text.size(); ++at) {
    const char c = text[at];
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') in_string = true;
    if (c == '[' || c == '{') {
      if (++depth > max_depth) {
        return invalid(source, absl::StrFormat("nesting deeper than %d at byte %d; a saved graph "
                                               "nests 4 levels deep",
                                               max_depth, at + 1));
      }
    }
    if (c == ']' || c == '}') depth = std::max(depth - 1, 0);
  }
  return absl::OkStatus();
}

// The JSON exception's text without its "[json.exception.parse_error.101] " tag.
std::string json_message(const nlohmann::json::exception& error) {
  std::string message = error.what();
  const std::size_t tag_end = message.find("] ");
  if (message.rfind("[json.exception.", 0) == 0 && tag_end != std::string::npos) {
    message.erase(0, tag_end + 2);
  }
  return message;
}

// Field access with messages that name the place, such as "node 7: field 'op'".
class Reader {
 public:
  explicit Reader(std::string_view source) : source_(source) {}

  absl::Status error(std::string_view place, std::string_view message) const {
    return invalid(source_, absl::StrFormat("%s: %s", place, message));
  }

  // Rejects fields of `object` that are not in `known`.
  absl::Status only_fields(const Json& object, std::string_view place,
                           std::initializer_list<std::string_view> known) const {
    for (const auto& [key, value] : object.items()) {
      if (std::find(known.begin(), known.end(), key) == known.end()) {
        std::string expected;
        for (const std::string_view name : known) {
          if (!expected.empty()) expected += ", ";
          expected += name;
        }
        return error(place, absl::StrFormat("unknown field '%s'; expected %s", key, expected));
      }
    }
    return absl::OkStatus();
  }

  absl::StatusOr<const Json*> field(const Json& object, std::string_view place,
                                    std::string_view key) const {
    const auto found = object.find(key);
    if (found == object.end()) {
      return error(place, absl::StrFormat("missing field '%s'", key));
    }
    return &*found;
  }

  absl::StatusOr<const Json*> object(const Json& parent, std::string_view place,
                                     std::string_view key) const {
    LIES_ASSIGN_OR_RETURN(const Json* value, field(parent, place, key));
    if (!value->is_object()) return error(place, absl::StrFormat("field '%s' must be an object", key));
    return value;
  }

  absl::StatusOr<const Json*> array(const Json& parent, std::string_view place,
                                    std::string_view key) const {
    LIES_ASSIGN_OR_RETURN(const Json* value, field(parent, place, key));
    if (!value->is_array()) return error(place, absl::StrFormat("field '%s' must be an array", key));
    return value;
  }

  absl::StatusOr<std::string> text(const Json& parent, std::string_view place,
                                   std::string_view key) const {
    LIES_ASSIGN_OR_RETURN(const Json* value, field(parent, place, key));
    if (!value->is_string()) return error(place, absl::StrFormat("field '%s' must be a string", key));
    return value->get<std::string>();
  }

  absl::StatusOr<double> number_value(const Json& value, std::string_view place,
                                      std::string_view what) const {
    if (!value.is_number()) return error(place, absl::StrFormat("%s must be a number", what));
    const double v = value.get<double>();
    if (!std::isfinite(v)) return error(place, absl::StrFormat("%s is not finite", what));
    return v;
  }

  absl::StatusOr<double> number(const Json& parent, std::string_view place,
                                std::string_view key) const {
    LIES_ASSIGN_OR_RETURN(const Json* value, field(parent, place, key));
    return number_value(*value, place, absl::StrFormat("field '%s'", key));
  }

  absl::StatusOr<std::uint64_t> unsigned_value(const Json& value, std::string_view place,
                                               std::string_view what, std::uint64_t max) const {
    if (!value.is_number_integer() ||
        (!value.is_number_unsigned() && value.get<std::int64_t>() < 0)) {
      return error(place, absl::StrFormat("%s must be a non-negative integer, not %s", what,
                                          value.dump()));
    }
    const std::uint64_t v = value.get<std::uint64_t>();
    if (v > max) return error(place, absl::StrFormat("%s is %d, more than %d", what, v, max));
    return v;
  }

  absl::StatusOr<std::uint64_t> unsigned_number(const Json& parent, std::string_view place,
                                                std::string_view key, std::uint64_t max) const {
    LIES_ASSIGN_OR_RETURN(const Json* value, field(parent, place, key));
    return unsigned_value(*value, place, absl::StrFormat("field '%s'", key), max);
  }

  absl::StatusOr<bool> boolean(const Json& parent, std::string_view place,
                               std::string_view key) const {
    LIES_ASSIGN_OR_RETURN(const Json* value, field(parent, place, key));
    if (!value->is_boolean()) return error(place, absl::StrFormat("field '%s' must be true or false", key));
    return value->get<bool>();
  }

 private:
  std::string_view source_;
};

absl::StatusOr<Producer> read_producer(const Reader& reader, const Json& root) {
  constexpr std::string_view kPlace = "producer";
  LIES_ASSIGN_OR_RETURN(const Json* json, reader.object(root, "the file", kPlace));
  LIES_RETURN_IF_ERROR(reader.only_fields(*json, kPlace, {"tool", "version", "seed", "options"}));
  Producer producer;
  LIES_ASSIGN_OR_RETURN(producer.tool, reader.text(*json, kPlace, "tool"));
  LIES_ASSIGN_OR_RETURN(producer.version, reader.text(*json, kPlace, "version"));
  LIES_ASSIGN_OR_RETURN(producer.seed, reader.unsigned_number(*json, kPlace, "seed",
                                                              std::numeric_limits<std::uint64_t>::max()));
  LIES_ASSIGN_OR_RETURN(const Json* options, reader.object(*json, kPlace, "options"));
  for (const auto& [name, value] : options->items()) {
    if (!value.is_string()) {
      return reader.error("producer options", absl::StrFormat("option '%s' must be a string", name));
    }
    producer.options.emplace_back(name, value.get<std::string>());
  }
  return producer;
}

absl::Status read_inputs(const Reader& reader, const Json& root, SavedGraph& graph) {
  LIES_ASSIGN_OR_RETURN(const Json* inputs, reader.array(root, "the file", "inputs"));
  if (inputs->empty()) return reader.error("inputs", "the network has no input; expected at least one");
  for (std::size_t j = 0; j < inputs->size(); ++j) {
    const std::string place = absl::StrFormat("input %d", j);
    const Json& json = (*inputs)[j];
    if (!json.is_object()) return reader.error(place, "must be an object");
    LIES_RETURN_IF_ERROR(reader.only_fields(json, place, {"name", "scale", "min", "max"}));
    SavedInput input;
    LIES_ASSIGN_OR_RETURN(input.name, reader.text(json, place, "name"));
    if (input.name.empty()) return reader.error(place, "field 'name' is empty");
    LIES_ASSIGN_OR_RETURN(input.scale, reader.number(json, place, "scale"));
    if (!(input.scale > 0.0)) return reader.error(place, "field 'scale' must be positive");
    LIES_ASSIGN_OR_RETURN(input.min, reader.number(json, place, "min"));
    LIES_ASSIGN_OR_RETURN(input.max, reader.number(json, place, "max"));
    if (input.min > input.max) return reader.error(place, "field 'min' is larger than 'max'");
    graph.network.transform.input_scale.push_back(input.scale);
    graph.inputs.push_back(std::move(input));
  }
  return absl::OkStatus();
}

absl::Status read_target(const Reader& reader, const Json& root, SavedGraph& graph) {
  constexpr std::string_view kPlace = "target";
  LIES_ASSIGN_OR_RETURN(const Json* json, reader.object(root, "the file", kPlace));
  LIES_RETURN_IF_ERROR(reader.only_fields(*json, kPlace, {"name", "log_space", "sign", "offset", "scale"}));
  engine::Transform& transform = graph.network.transform;
  LIES_ASSIGN_OR_RETURN(graph.target_name, reader.text(*json, kPlace, "name"));
  if (graph.target_name.empty()) return reader.error(kPlace, "field 'name' is empty");
  LIES_ASSIGN_OR_RETURN(transform.log_space, reader.boolean(*json, kPlace, "log_space"));
  LIES_ASSIGN_OR_RETURN(transform.target_sign, reader.number(*json, kPlace, "sign"));
  if (transform.target_sign != 1.0 && transform.target_sign != -1.0) {
    return reader.error(kPlace, "field 'sign' must be 1 or -1");
  }
  if (!transform.log_space && transform.target_sign != 1.0) {
    return reader.error(kPlace, "field 'sign' must be 1 when 'log_space' is false");
  }
  LIES_ASSIGN_OR_RETURN(transform.target_offset, reader.number(*json, kPlace, "offset"));
  LIES_ASSIGN_OR_RETURN(transform.target_scale, reader.number(*json, kPlace, "scale"));
  if (!(transform.target_scale > 0.0)) return reader.error(kPlace, "field 'scale' must be positive");
  return absl::OkStatus();
}

absl::Status read_params(const Reader& reader, const Json& root, const SavedGraphLimits& limits,
                         SavedGraph& graph) {
  LIES_ASSIGN_OR_RETURN(const Json* params, reader.array(root, "the file", "params"));
  if (params->size() > limits.max_nodes) {
    return reader.error("params", absl::StrFormat("%d values, more than the limit of %d",
                                                  params->size(), limits.max_nodes));
  }
  for (std::size_t p = 0; p < params->size(); ++p) {
    LIES_ASSIGN_OR_RETURN(const double value,
                          reader.number_value((*params)[p], "params", absl::StrFormat("param %d", p)));
    graph.network.params.push_back(value);
  }
  return absl::OkStatus();
}

// Reads one node and adds it to the graph, which must give it the id `index`.
absl::Status read_node(const Reader& reader, const Json& json, std::size_t index,
                       SavedGraph& graph) {
  const std::string place = absl::StrFormat("node %d", index);
  if (!json.is_object()) return reader.error(place, "must be an object");
  LIES_ASSIGN_OR_RETURN(const std::string spelling, reader.text(json, place, "op"));
  const std::optional<Op> op = engine::op_from_spelling(spelling);
  if (!op) {
    std::vector<std::string> known;
    for (int k = 0; k < engine::kNumOps; ++k) {
      known.emplace_back(engine::spelling(static_cast<Op>(k)));
    }
    return reader.error(place, absl::StrFormat("unknown node kind '%s'; expected one of %s",
                                               spelling, absl::StrJoin(known, ", ")));
  }
  const std::string described = absl::StrFormat("node %d (%s)", index, spelling);

  Node node;
  node.op = *op;
  switch (*op) {
    case Op::Input: {
      LIES_RETURN_IF_ERROR(reader.only_fields(json, described, {"op", "index"}));
      LIES_ASSIGN_OR_RETURN(const std::uint64_t column,
                            reader.unsigned_number(json, described, "index",
                                                   std::numeric_limits<std::uint32_t>::max()));
      if (column >= graph.inputs.size()) {
        return reader.error(described, absl::StrFormat("input index %d is out of range; the file "
                                                       "has %d inputs",
                                                       column, graph.inputs.size()));
      }
      node.index = static_cast<std::uint32_t>(column);
      break;
    }
    case Op::Param: {
      LIES_RETURN_IF_ERROR(reader.only_fields(json, described, {"op", "index"}));
      LIES_ASSIGN_OR_RETURN(const std::uint64_t param,
                            reader.unsigned_number(json, described, "index",
                                                   std::numeric_limits<std::uint32_t>::max()));
      if (param >= graph.network.params.size()) {
        return reader.error(described, absl::StrFormat("param index %d is out of range; the file "
                                                       "has %d params",
                                                       param, graph.network.params.size()));
      }
      node.index = static_cast<std::uint32_t>(param);
      break;
    }
    case Op::Constant: {
      LIES_RETURN_IF_ERROR(reader.only_fields(json, described, {"op", "value"}));
      LIES_ASSIGN_OR_RETURN(node.value, reader.number(json, described, "value"));
      break;
    }
    default: {
      const bool is_protected = *op == Op::ProtLog || *op == Op::ProtExp;
      if (is_protected) {
        LIES_RETURN_IF_ERROR(
            reader.only_fields(json, described, {"op", "children", "limit", "argument_range"}));
        LIES_ASSIGN_OR_RETURN(node.value, reader.number(json, described, "limit"));
      } else {
        LIES_RETURN_IF_ERROR(reader.only_fields(json, described, {"op", "children"}));
      }
      LIES_ASSIGN_OR_RETURN(const Json* children, reader.array(json, described, "children"));
      const int arity = engine::arity(*op);
      if (children->size() != static_cast<std::size_t>(arity)) {
        return reader.error(described, absl::StrFormat("expected %d children, found %d", arity,
                                                       children->size()));
      }
      for (int k = 0; k < arity; ++k) {
        LIES_ASSIGN_OR_RETURN(const std::uint64_t child,
                              reader.unsigned_value((*children)[static_cast<std::size_t>(k)],
                                                     described, absl::StrFormat("child %d", k),
                                                     std::numeric_limits<std::uint32_t>::max()));
        if (child >= index) {
          return reader.error(described, absl::StrFormat("child %d is not smaller than the node's "
                                                         "index %d; children come before their "
                                                         "parents",
                                                         child, index));
        }
        node.child[static_cast<std::size_t>(k)] = static_cast<NodeId>(child);
      }
      if (is_protected && json.contains("argument_range")) {
        const Json& range = json["argument_range"];
        if (!range.is_array() || range.size() != 2) {
          return reader.error(described, "field 'argument_range' must be an array [low, high]");
        }
        LIES_ASSIGN_OR_RETURN(const double low, reader.number_value(range[0], described, "the low end of 'argument_range'"));
        LIES_ASSIGN_OR_RETURN(const double high, reader.number_value(range[1], described, "the high end of 'argument_range'"));
        if (low > high) return reader.error(described, "field 'argument_range' has low > high");
        graph.network.protected_ranges[static_cast<NodeId>(index)] = {low, high};
      }
      break;
    }
  }

  const NodeId id = graph.network.graph.make(node);
  if (id != index) {
    return reader.error(described, absl::StrFormat("duplicates node %d; each node must be unique", id));
  }
  return absl::OkStatus();
}

absl::Status read_nodes(const Reader& reader, const Json& root, const SavedGraphLimits& limits,
                        SavedGraph& graph) {
  LIES_ASSIGN_OR_RETURN(const Json* nodes, reader.array(root, "the file", "nodes"));
  if (nodes->empty()) return reader.error("nodes", "the graph has no node");
  if (nodes->size() > limits.max_nodes) {
    return reader.error("nodes", absl::StrFormat("%d nodes, more than the limit of %d",
                                                 nodes->size(), limits.max_nodes));
  }
  for (std::size_t k = 0; k < nodes->size(); ++k) {
    LIES_RETURN_IF_ERROR(read_node(reader, (*nodes)[k], k, graph));
  }

  LIES_ASSIGN_OR_RETURN(const std::uint64_t output,
                        reader.unsigned_number(root, "the file", "output",
                                               std::numeric_limits<std::uint32_t>::max()));
  if (output >= nodes->size()) {
    return reader.error("output", absl::StrFormat("node %d is out of range; the file has %d nodes",
                                                  output, nodes->size()));
  }
  graph.network.output = static_cast<NodeId>(output);

  // Children have smaller ids, so one pass in id order finds every node's depth.
  const engine::Graph& g = graph.network.graph;
  std::vector<std::size_t> depth(g.size(), 1);
  for (NodeId id = 0; id < g.size(); ++id) {
    const Node& node = g.node(id);
    for (int k = 0; k < engine::arity(node.op); ++k) {
      depth[id] = std::max(depth[id], depth[node.child[static_cast<std::size_t>(k)]] + 1);
    }
    if (depth[id] > limits.max_depth) {
      return reader.error(absl::StrFormat("node %d", id),
                          absl::StrFormat("the expression is deeper than the limit of %d nodes",
                                          limits.max_depth));
    }
  }
  return absl::OkStatus();
}

}  // namespace

SavedGraph saved_graph_from_fit(const engine::FitResult& fit, const engine::Dataset& data,
                                Producer producer) {
  SavedGraph graph;
  graph.network = fit.network;
  graph.target_name = fit.target_name;
  graph.producer = std::move(producer);
  for (std::size_t j = 0; j < fit.input_names.size(); ++j) {
    SavedInput input;
    input.name = fit.input_names[j];
    input.scale = fit.network.transform.input_scale[j];
    const auto column = data.find_column(input.name);
    LIES_CHECK(column.has_value());
    const std::vector<double>& values = data.columns[*column];
    const auto [low, high] = std::minmax_element(values.begin(), values.end());
    input.min = *low;
    input.max = *high;
    graph.inputs.push_back(std::move(input));
  }
  return graph;
}

simplify::DomainFacts domain_facts(const SavedGraph& graph) {
  simplify::DomainFacts facts;
  for (const SavedInput& input : graph.inputs) facts.positive_inputs.push_back(input.min > 0.0);
  return facts;
}

std::string format_saved_graph(const SavedGraph& graph) {
  const engine::TrainedNetwork& network = graph.network;
  LIES_CHECK(network.output < network.graph.size());
  LIES_CHECK(graph.inputs.size() == network.transform.input_scale.size());

  std::string out = "{\n";
  out += "  \"format\": " + Json(kFormatName).dump() + ",\n";
  out += absl::StrFormat("  \"version\": %d,\n", kSavedGraphVersion);
  out += "  \"producer\": " + producer_json(graph.producer).dump() + ",\n";

  std::vector<Json> inputs;
  for (const SavedInput& input : graph.inputs) {
    Json json;
    json["name"] = input.name;
    json["scale"] = input.scale;
    json["min"] = input.min;
    json["max"] = input.max;
    inputs.push_back(std::move(json));
  }
  append_array(out, "inputs", inputs, false);

  Json target;
  target["name"] = graph.target_name;
  target["log_space"] = network.transform.log_space;
  target["sign"] = network.transform.target_sign;
  target["offset"] = network.transform.target_offset;
  target["scale"] = network.transform.target_scale;
  out += "  \"target\": " + target.dump() + ",\n";
  out += absl::StrFormat("  \"output\": %d,\n", network.output);

  Json params = Json::array();
  for (double value : network.params) params.push_back(value);
  out += "  \"params\": " + params.dump() + ",\n";

  std::vector<Json> nodes;
  for (NodeId id = 0; id < network.graph.size(); ++id) nodes.push_back(node_json(network, id));
  append_array(out, "nodes", nodes, true);
  out += "}\n";
  return out;
}

absl::StatusOr<SavedGraph> parse_saved_graph(std::string_view text, std::string_view source,
                                             const SavedGraphLimits& limits) {
  if (text.size() > limits.max_bytes) {
    return invalid(source, absl::StrFormat("%d bytes, more than the limit of %d", text.size(),
                                           limits.max_bytes));
  }
  LIES_RETURN_IF_ERROR(check_nesting(text, source, limits.max_json_depth));
  Json root;
  try {
    root = Json::parse(text);
  } catch (const nlohmann::json::parse_error& error) {
    return invalid(source, "not valid JSON (is the file truncated?): " + json_message(error));
  } catch (const nlohmann::json::exception& error) {
    return invalid(source, "not valid JSON: " + json_message(error));
  }

  const Reader reader(source);
  if (!root.is_object()) return invalid(source, "not a lies saved graph: the text is not a JSON object");
  const auto format = root.find("format");
  if (format == root.end() || !format->is_string() || format->get<std::string>() != kFormatName) {
    return invalid(source, absl::StrFormat("not a lies saved graph: field 'format' must be \"%s\"",
                                           kFormatName));
  }
  LIES_ASSIGN_OR_RETURN(const std::uint64_t version,
                        reader.unsigned_number(root, "the file", "version",
                                               std::numeric_limits<std::uint32_t>::max()));
  if (version == 0) return reader.error("the file", "field 'version' must be at least 1");
  if (version > static_cast<std::uint64_t>(kSavedGraphVersion)) {
    return invalid(source, absl::StrFormat("format version %d is newer than this lies reads "
                                           "(version %d and older); update lies",
                                           version, kSavedGraphVersion));
  }
  LIES_RETURN_IF_ERROR(reader.only_fields(root, "the file",
                                          {"format", "version", "producer", "inputs", "target",
                                           "output", "params", "nodes"}));

  SavedGraph graph;
  LIES_ASSIGN_OR_RETURN(graph.producer, read_producer(reader, root));
  LIES_RETURN_IF_ERROR(read_inputs(reader, root, graph));
  LIES_RETURN_IF_ERROR(read_target(reader, root, graph));
  LIES_RETURN_IF_ERROR(read_params(reader, root, limits, graph));
  LIES_RETURN_IF_ERROR(read_nodes(reader, root, limits, graph));
  return graph;
}

absl::StatusOr<SavedGraph> read_saved_graph(const std::string& path,
                                            const SavedGraphLimits& limits) {
  namespace fs = std::filesystem;
  std::error_code error;
  const fs::file_status status = fs::status(path, error);
  if (status.type() == fs::file_type::not_found) {
    return absl::NotFoundError(path + ": file not found; check the path");
  }
  if (fs::is_directory(status)) {
    return absl::InvalidArgumentError(path + ": is a directory; pass the path of a saved graph file");
  }
  const std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"),
                                                             &std::fclose);
  if (file == nullptr) {
    const int code = errno;
    return absl::InvalidArgumentError(path + ": cannot be read: " +
                                      std::generic_category().message(code) +
                                      "; check its permissions");
  }
  // Reading past the limit distinguishes a file at the limit from a larger one.
  std::string text;
  std::vector<char> buffer(1 << 16);
  while (text.size() <= limits.max_bytes) {
    const std::size_t count = std::fread(buffer.data(), 1, buffer.size(), file.get());
    text.append(buffer.data(), count);
    if (count < buffer.size()) break;
  }
  if (std::ferror(file.get()) != 0) {
    return absl::InvalidArgumentError(path + ": reading failed");
  }
  return parse_saved_graph(text, path, limits);
}

}  // namespace lies::io
