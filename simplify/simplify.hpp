// simplify(): the one entry point that the fit pipeline and the tools use to turn an
// expression into the formula that lies prints.
//
//   1. The rules of the simplify stage (rules.hpp) run to a fixpoint, with the canonical
//      sum-of-products pass (canonical.hpp) between rounds: constants fold, like terms
//      collect, exp/log pairs cancel, powers merge and trigonometric shifts become cos.
//   2. Constants of the result within `roundoff` of a simple value become that value, and
//      when any did, step 1 runs again (x^0.9999999999999998 → x^1 → x).
//   3. The rules of the presentation stage write numbers that are simple multiples of pi,
//      1/pi, e and sqrt(2) as products that the printer shows by name (2*pi, 1/(4*pi)),
//      without the canonical pass, which would fold them back into one number.
//
// The result has the value of the input wherever the input is defined, up to the rounding of
// folded constants, and up to a relative change of `roundoff` of each rounded constant. Guards
// prove signs from the structure and from `facts`, and with `data` also on its rows.
#pragma once

#include "autodiff/evaluator.hpp"
#include "engine/graph.hpp"
#include "simplify/domain.hpp"
#include "simplify/rewriter.hpp"

namespace lies::simplify {

struct SimplifyOptions {
  DomainFacts facts;
  // Rows for guards "on the data": one column per input, in the formula's units. Must
  // outlive the call.
  const autodiff::Columns* data = nullptr;
  // Relative distance within which a constant is taken for the simple value next to it
  // (simplify::nearby_simple_value); 0 keeps every constant as it is. The default is a few
  // hundred thousand units in the last place: far above the rounding that arithmetic on
  // fitted weights leaves, far below what a fit can resolve.
  double roundoff = 1e-10;
  // Run the presentation stage.
  bool present = true;
  // Limits of each stage.
  RewriteLimits limits;
};

struct SimplifyResult {
  engine::NodeId root = engine::kNoNode;  // in the output graph
  RewriteReport report;                   // of both stages
};

// Simplifies the expression at `root` of `from` and copies the result into `out`.
SimplifyResult simplify(const engine::Graph& from, engine::NodeId root, engine::Graph& out,
                        const SimplifyOptions& options = {});

}  // namespace lies::simplify
