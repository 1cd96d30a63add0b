#include "io/formula_pretty.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numbers>
#include <numeric>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/check.hpp"

namespace lies::io::detail {
namespace {

using engine::Graph;
using engine::kNoNode;
using engine::Node;
using engine::NodeId;
using engine::Op;

constexpr int kNumerator = 0;
constexpr int kDenominator = 1;

// ---------------------------------------------------------------------------------------------
// Shapes

// A factor of a product: a base raised to an exponent.
struct Factor {
  enum class Exponent { kOne, kSqrt, kNumber, kUnit };

  // The unit that is raised, or kNoNode for a named constant (pi, e).
  NodeId base = kNoNode;
  double named_constant = 0.0;
  Exponent exponent = Exponent::kOne;
  // kNumber: a non-negative number other than 1 and 0.5, which print as kOne and kSqrt.
  double exponent_value = 0.0;
  // kUnit: the unit in the exponent.
  NodeId exponent_unit = kNoNode;
};

// sign * (numbers * factors) / (numbers * factors), indexed by kNumerator and kDenominator.
// Numbers are magnitudes other than 1, in the order that they print. A number that prints by
// name (pi, e) is a factor.
struct Product {
  bool negative = false;
  std::array<std::vector<double>, 2> numbers;
  std::array<std::vector<Factor>, 2> factors;

  bool is_constant() const { return factors[0].empty() && factors[1].empty(); }
};

// A node that prints as a subformula of its own: the root, a function argument, a power base or
// exponent, or a factor that is neither a product nor a number. A sum unit has one product per
// term, a product unit has one.
struct Unit {
  Shape shape = Shape::kInput;
  std::vector<Product> products;
};

void add_number(const NumericLeaves& leaves, double value, int side, Product& product) {
  if (value < 0) product.negative = !product.negative;
  const double magnitude = std::fabs(value);
  if (magnitude == 1.0) return;
  if (leaves.is_named(magnitude)) {
    product.factors[side].push_back({.base = kNoNode, .named_constant = magnitude});
  } else {
    product.numbers[side].push_back(magnitude);
  }
}

void add_power(const NumericLeaves& leaves, const Node& power, int side, Product& product) {
  const NodeId base = power.child[0];
  const NodeId exponent = power.child[1];
  const std::optional<double> value = leaves.value(exponent);
  if (!value) {
    product.factors[side].push_back(
        {.base = base, .exponent = Factor::Exponent::kUnit, .exponent_unit = exponent});
    return;
  }
  // b^-e = 1/b^e: a negative exponent moves the factor to the other side of the fraction line.
  if (*value < 0) side = 1 - side;
  const double magnitude = std::fabs(*value);
  Factor factor{.base = base};
  if (magnitude == 1.0) {
    factor.exponent = Factor::Exponent::kOne;
  } else if (magnitude == 0.5) {
    factor.exponent = Factor::Exponent::kSqrt;
  } else {
    factor.exponent = Factor::Exponent::kNumber;
    factor.exponent_value = magnitude;
  }
  product.factors[side].push_back(factor);
}

// Flattens the product tree at `start` into `product`. The walk is over the expanded tree, which
// the caller has bounded.
void gather_product(const Graph& graph, const NumericLeaves& leaves, NodeId start, Product& product) {
  struct Item {
    NodeId id;
    int side;
  };
  std::vector<Item> stack = {{start, kNumerator}};
  while (!stack.empty()) {
    const Item item = stack.back();
    stack.pop_back();
    if (const std::optional<double> value = leaves.value(item.id)) {
      add_number(leaves, *value, item.side, product);
      continue;
    }
    const Node& node = graph.node(item.id);
    switch (node.op) {
      case Op::Mul:
        stack.push_back({node.child[1], item.side});
        stack.push_back({node.child[0], item.side});
        break;
      case Op::Div:
        stack.push_back({node.child[1], 1 - item.side});
        stack.push_back({node.child[0], item.side});
        break;
      case Op::Neg:
        product.negative = !product.negative;
        stack.push_back({node.child[0], item.side});
        break;
      case Op::Sqrt:
        product.factors[item.side].push_back(
            {.base = node.child[0], .exponent = Factor::Exponent::kSqrt});
        break;
      case Op::Pow: add_power(leaves, node, item.side, product); break;
      case Op::Input:
      case Op::Constant:  // has a value, so it never gets here
      case Op::Param:
      case Op::Add:
      case Op::Log:
      case Op::Exp:
      case Op::Sin:
      case Op::Cos:
      case Op::Tan:
      case Op::Tanh:
      case Op::Asin:
      case Op::Acos:
      case Op::Atan:
      case Op::ProtLog:
      case Op::ProtExp: product.factors[item.side].push_back({.base = item.id}); break;
    }
  }
}

// Flattens the sum tree at `start` into one product per term.
void gather_sum(const Graph& graph, const NumericLeaves& leaves, NodeId start,
                std::vector<Product>& terms) {
  std::vector<NodeId> stack = {start};
  while (!stack.empty()) {
    const NodeId id = stack.back();
    stack.pop_back();
    const Node& node = graph.node(id);
    if (node.op == Op::Add) {
      stack.push_back(node.child[1]);
      stack.push_back(node.child[0]);
      continue;
    }
    gather_product(graph, leaves, id, terms.emplace_back());
  }
}

template <typename Visit>
void for_each_operand_unit(const Graph& graph, NodeId id, const Unit& unit, Visit visit) {
  if (unit.shape == Shape::kCall || unit.shape == Shape::kClamp) {
    visit(graph.node(id).child[0]);
    return;
  }
  for (const Product& product : unit.products) {
    for (const std::vector<Factor>& side : product.factors) {
      for (const Factor& factor : side) {
        if (factor.base != kNoNode) visit(factor.base);
        if (factor.exponent_unit != kNoNode) visit(factor.exponent_unit);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Text ropes
//
// The text of each unit is stored once, as pieces of text and references to the text of other
// units. This keeps memory linear where a unit of depth d contains d nested units, and still lets
// sorting compare printed texts.

struct Piece {
  std::string text;
  NodeId unit = kNoNode;
};

struct Rope {
  std::vector<Piece> pieces;
  Precedence precedence = Precedence::kAtom;
};

void append_text(Rope& rope, std::string_view text) {
  if (!rope.pieces.empty() && rope.pieces.back().unit == kNoNode) {
    rope.pieces.back().text += text;
  } else {
    rope.pieces.push_back({std::string(text), kNoNode});
  }
}

void append_pieces(Rope& rope, const Rope& other) {
  for (const Piece& piece : other.pieces) {
    if (piece.unit == kNoNode) {
      append_text(rope, piece.text);
    } else {
      rope.pieces.push_back(piece);
    }
  }
}

// Reads the characters of a rope in order, following unit references through an explicit stack.
class RopeReader {
 public:
  RopeReader(const std::vector<Rope>& units, const Rope& rope) : units_(units) {
    stack_.push_back({&rope.pieces, 0, 0});
  }

  // Returns the next character, or -1 at the end.
  int next() {
    while (!stack_.empty()) {
      Frame& frame = stack_.back();
      if (frame.piece == frame.pieces->size()) {
        stack_.pop_back();
        continue;
      }
      const Piece& piece = (*frame.pieces)[frame.piece];
      if (piece.unit != kNoNode) {
        ++frame.piece;
        stack_.push_back({&units_[piece.unit].pieces, 0, 0});
        continue;
      }
      if (frame.offset < piece.text.size()) {
        return static_cast<unsigned char>(piece.text[frame.offset++]);
      }
      ++frame.piece;
      frame.offset = 0;
    }
    return -1;
  }

  // Appends the rest of the text to `out`.
  void append_rest(std::string& out) {
    while (!stack_.empty()) {
      Frame& frame = stack_.back();
      if (frame.piece == frame.pieces->size()) {
        stack_.pop_back();
        continue;
      }
      const Piece& piece = (*frame.pieces)[frame.piece++];
      const std::size_t offset = std::exchange(frame.offset, 0);
      if (piece.unit != kNoNode) {
        stack_.push_back({&units_[piece.unit].pieces, 0, 0});  // invalidates `frame`
      } else {
        out.append(piece.text, offset, std::string::npos);
      }
    }
  }

 private:
  struct Frame {
    const std::vector<Piece>* pieces;
    std::size_t piece;
    std::size_t offset;
  };
  const std::vector<Rope>& units_;
  std::vector<Frame> stack_;
};

// Compares the printed texts of two ropes like std::string::compare.
int compare_text(const std::vector<Rope>& units, const Rope& a, const Rope& b) {
  RopeReader left(units, a);
  RopeReader right(units, b);
  while (true) {
    const int x = left.next();
    const int y = right.next();
    if (x != y) return x < y ? -1 : 1;
    if (x < 0) return 0;
  }
}

// ---------------------------------------------------------------------------------------------
// Rendering

// A subformula that starts with a unary minus, or is a sum, needs parentheses after a sign.
bool needs_parentheses_after_sign(Precedence precedence) {
  return precedence == Precedence::kSum || precedence == Precedence::kUnary;
}

// Renders units, products and factors in one format. The texts of the units rendered so far are
// in `units`, indexed by node id.
class Renderer {
 public:
  Renderer(const Graph& graph, const FormulaSpelling& spelling, const std::vector<Rope>& units)
      : graph_(graph), spelling_(spelling), units_(units) {}

  Rope unit(NodeId id, const Unit& unit) const {
    switch (unit.shape) {
      case Shape::kInput: return text(spelling_.input_name(graph_.node(id).index));
      case Shape::kParam: return text(spelling_.param_name(graph_.node(id).index));
      case Shape::kCall: return call(id);
      case Shape::kClamp: return clamp(id);
      case Shape::kSum: return sum(unit.products);
      case Shape::kProduct: return signed_product(unit.products.front());
    }
    return {};
  }

  // The product without its sign. Numerator numbers are left out for the sort key of a term.
  Rope product(const Product& product, bool with_numerator_numbers) const {
    std::array<std::vector<Rope>, 2> items;
    for (const int side : {kNumerator, kDenominator}) {
      if (side == kDenominator || with_numerator_numbers) {
        for (const double number : product.numbers[side]) items[side].push_back(number_rope(number));
      }
      for (const Factor& factor : product.factors[side]) items[side].push_back(this->factor(factor));
    }
    const std::vector<Rope>& numerator = items[kNumerator];
    const std::vector<Rope>& denominator = items[kDenominator];

    if (latex() && !denominator.empty()) {
      Rope out;
      append_text(out, "\\frac{");
      append_items(out, numerator);
      append_text(out, "}{");
      append_items(out, denominator);
      append_text(out, "}");
      out.precedence = Precedence::kPower;  // a power base needs parentheses, a factor does not
      return out;
    }
    if (numerator.size() == 1 && denominator.empty()) return numerator.front();

    Rope out;
    append_items(out, numerator);
    out.precedence = numerator.size() > 1 ? Precedence::kProduct : Precedence::kAtom;
    if (denominator.empty()) return out;
    append_text(out, "/");
    if (denominator.size() == 1) {
      append_operand(out, denominator.front(), Precedence::kPower);
    } else {
      append_text(out, "(");
      append_items(out, denominator);
      append_text(out, ")");
    }
    out.precedence = Precedence::kProduct;
    return out;
  }

  Rope factor(const Factor& factor) const {
    const Rope base = factor.base == kNoNode ? number_rope(factor.named_constant) : unit_ref(factor.base);
    if (factor.exponent == Factor::Exponent::kOne) return base;

    Rope out;
    if (factor.exponent == Factor::Exponent::kSqrt) {
      if (latex()) {
        append_text(out, "\\sqrt{");
        append_pieces(out, base);
        append_text(out, "}");
      } else {
        append_text(out, "sqrt(");
        append_pieces(out, base);
        append_text(out, ")");
      }
      out.precedence = Precedence::kAtom;
      return out;
    }

    const Rope exponent = factor.exponent == Factor::Exponent::kNumber
                              ? number_rope(factor.exponent_value)
                              : unit_ref(factor.exponent_unit);
    switch (spelling_.format()) {
      case FormulaFormat::kC:
        append_text(out, "pow(");
        append_pieces(out, base);
        append_text(out, ", ");
        append_pieces(out, exponent);
        append_text(out, ")");
        out.precedence = Precedence::kAtom;
        return out;
      case FormulaFormat::kLatex:
        append_operand(out, base, Precedence::kAtom);
        append_text(out, "^{");
        append_pieces(out, exponent);
        append_text(out, "}");
        out.precedence = Precedence::kPower;
        return out;
      case FormulaFormat::kInfix:
      case FormulaFormat::kSympy:
        // Power is right-associative and its exponent may start with a unary minus (x^-y), so
        // only an exponent that is a product or a sum needs parentheses.
        append_operand(out, base, Precedence::kAtom);
        append_text(out, spelling_.format() == FormulaFormat::kSympy ? "**" : "^");
        append_operand(out, exponent, Precedence::kUnary);
        out.precedence = Precedence::kPower;
        return out;
    }
    return out;
  }

 private:
  bool latex() const { return spelling_.format() == FormulaFormat::kLatex; }

  static Rope text(std::string text) {
    Rope out;
    append_text(out, text);
    return out;
  }

  Rope number_rope(double value) const {
    PrecedenceText number = spelling_.number(value);
    Rope out = text(std::move(number.text));
    out.precedence = number.precedence;
    return out;
  }

  Rope unit_ref(NodeId id) const {
    Rope out;
    out.pieces.push_back({{}, id});
    out.precedence = units_[id].precedence;
    return out;
  }

  void append_operand(Rope& out, const Rope& operand, Precedence required) const {
    if (operand.precedence >= required) {
      append_pieces(out, operand);
      return;
    }
    append_text(out, latex() ? "\\left(" : "(");
    append_pieces(out, operand);
    append_text(out, latex() ? "\\right)" : ")");
  }

  // Joins the items of one side of a product, or prints 1 for an empty side. Inside \frac{}{} a
  // single item needs no parentheses.
  void append_items(Rope& out, const std::vector<Rope>& items) const {
    if (items.empty()) {
      append_pieces(out, number_rope(1.0));
      return;
    }
    if (items.size() == 1 && latex()) {
      append_pieces(out, items.front());
      return;
    }
    for (std::size_t k = 0; k < items.size(); ++k) {
      if (k > 0) append_text(out, latex() ? " \\cdot " : "*");
      append_operand(out, items[k], Precedence::kPower);
    }
  }

  // Appends `operand` after a sign, with parentheses where the sign would otherwise bind wrongly.
  void append_after_sign(Rope& out, const Rope& operand) const {
    if (needs_parentheses_after_sign(operand.precedence)) {
      append_operand(out, operand, Precedence::kAtom);
    } else {
      append_pieces(out, operand);
    }
  }

  Rope signed_product(const Product& product) const {
    Rope magnitude = this->product(product, true);
    if (!product.negative) return magnitude;
    Rope out;
    append_text(out, "-");
    append_after_sign(out, magnitude);
    out.precedence = magnitude.precedence == Precedence::kProduct ? Precedence::kProduct
                                                                   : Precedence::kUnary;
    return out;
  }

  Rope sum(const std::vector<Product>& terms) const {
    Rope out;
    for (std::size_t k = 0; k < terms.size(); ++k) {
      const Product& term = terms[k];
      if (k == 0) {
        if (term.negative) append_text(out, "-");
      } else {
        append_text(out, term.negative ? " - " : " + ");
      }
      append_after_sign(out, product(term, true));
    }
    out.precedence = Precedence::kSum;
    return out;
  }

  Rope call(NodeId id) const {
    const Node& node = graph_.node(id);
    Rope out;
    append_text(out, spelling_.function_name(node.op));
    append_text(out, latex() ? "\\left(" : "(");
    out.pieces.push_back({{}, node.child[0]});
    append_text(out, latex() ? "\\right)" : ")");
    return out;
  }

  // log(max(z, c)) for ProtLog, exp(min(z, c)) for ProtExp.
  Rope clamp(NodeId id) const {
    const Node& node = graph_.node(id);
    Rope out;
    append_text(out, spelling_.function_name(node.op));
    if (!latex()) append_text(out, "(");
    append_text(out, spelling_.clamp_name(node.op));
    append_text(out, latex() ? "\\left(" : "(");
    out.pieces.push_back({{}, node.child[0]});
    append_text(out, ", ");
    append_pieces(out, number_rope(node.value));
    append_text(out, latex() ? "\\right)" : "))");
    return out;
  }

  const Graph& graph_;
  const FormulaSpelling& spelling_;
  const std::vector<Rope>& units_;
};

// ---------------------------------------------------------------------------------------------
// Ordering

// Sorts numbers ascending and factors by their infix text, so that the order does not depend on
// node ids or on the hash order of commutative children.
void order_product(Product& product, const Renderer& infix, const std::vector<Rope>& infix_units) {
  for (const int side : {kNumerator, kDenominator}) {
    std::sort(product.numbers[side].begin(), product.numbers[side].end());

    std::vector<Factor>& factors = product.factors[side];
    std::vector<Rope> texts;
    texts.reserve(factors.size());
    for (const Factor& factor : factors) texts.push_back(infix.factor(factor));
    std::vector<std::size_t> order(factors.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return compare_text(infix_units, texts[a], texts[b]) < 0;
    });
    std::vector<Factor> sorted;
    sorted.reserve(factors.size());
    for (const std::size_t k : order) sorted.push_back(factors[k]);
    factors = std::move(sorted);
  }
}

// Orders the terms of a sum: terms with factors first, by their infix text without numerator
// numbers and sign, then the constant terms. Ties go by the numerator numbers, then positive
// first. When that puts a negative term first, the first positive term moves to the front, so
// y - x and 1 - x print instead of -x + y and -x + 1.
void order_terms(std::vector<Product>& terms, const Renderer& infix,
                 const std::vector<Rope>& infix_units) {
  std::vector<Rope> keys;
  keys.reserve(terms.size());
  for (Product& term : terms) {
    order_product(term, infix, infix_units);
    keys.push_back(infix.product(term, false));
  }
  std::vector<std::size_t> order(terms.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const Product& x = terms[a];
    const Product& y = terms[b];
    if (x.is_constant() != y.is_constant()) return y.is_constant();
    const int text = compare_text(infix_units, keys[a], keys[b]);
    if (text != 0) return text < 0;
    if (x.numbers[kNumerator] != y.numbers[kNumerator]) {
      return x.numbers[kNumerator] < y.numbers[kNumerator];
    }
    return !x.negative && y.negative;
  });

  std::vector<Product> sorted;
  sorted.reserve(terms.size());
  for (const std::size_t k : order) sorted.push_back(std::move(terms[k]));
  if (sorted.front().negative) {
    const auto positive = std::find_if(sorted.begin(), sorted.end(),
                                       [](const Product& term) { return !term.negative; });
    if (positive != sorted.end()) std::rotate(sorted.begin(), positive, positive + 1);
  }
  terms = std::move(sorted);
}

}  // namespace


std::string print_pretty(const Graph& graph, NodeId root, const PrintOptions& options,
                         const NumericLeaves& leaves) {
  // Find the units and their shapes from the root down. Units have smaller ids than the units
  // that refer to them, so one descending sweep reaches all of them.
  std::vector<Unit> units(root + 1);
  std::vector<bool> is_unit(root + 1, false);
  is_unit[root] = true;
  for (NodeId id = root + 1; id-- > 0;) {
    if (!is_unit[id]) continue;
    Unit& unit = units[id];
    unit.shape = shape_of(graph, leaves, id);
    if (unit.shape == Shape::kSum) gather_sum(graph, leaves, id, unit.products);
    if (unit.shape == Shape::kProduct) gather_product(graph, leaves, id, unit.products.emplace_back());
    for_each_operand_unit(graph, id, unit, [&](NodeId operand) { is_unit[operand] = true; });
  }

  // Order and render from the leaves up, so every unit finds the texts of its operands.
  // Sort keys are infix texts in every format, so all formats print operands in one order.
  PrintOptions infix_options = options;
  infix_options.format = FormulaFormat::kInfix;
  const FormulaSpelling infix_spelling(infix_options);
  const FormulaSpelling output_spelling(options);
  const bool separate_output = options.format != FormulaFormat::kInfix;
  std::vector<Rope> infix_texts(root + 1);
  std::vector<Rope> output_texts(separate_output ? root + 1 : 0);
  const Renderer infix(graph, infix_spelling, infix_texts);
  const Renderer output(graph, output_spelling, output_texts);
  for (NodeId id = 0; id <= root; ++id) {
    if (!is_unit[id]) continue;
    Unit& unit = units[id];
    if (unit.shape == Shape::kSum) order_terms(unit.products, infix, infix_texts);
    if (unit.shape == Shape::kProduct) order_product(unit.products.front(), infix, infix_texts);
    infix_texts[id] = infix.unit(id, unit);
    if (separate_output) output_texts[id] = output.unit(id, unit);
  }

  std::string text;
  RopeReader reader(separate_output ? output_texts : infix_texts,
                    separate_output ? output_texts[root] : infix_texts[root]);
  reader.append_rest(text);
  return text;
}

}  // namespace lies::io::detail
