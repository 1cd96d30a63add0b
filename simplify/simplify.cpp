#include "simplify/simplify.hpp"

namespace lies::simplify {

SimplifyResult simplify(const engine::Graph& from, engine::NodeId root, engine::Graph& out,
                        const SimplifyOptions& options) {
  RewriteOptions rewrite_options;
  rewrite_options.facts = options.facts;
  rewrite_options.data = options.data;
  rewrite_options.roundoff = options.roundoff;
  rewrite_options.limits = options.limits;

  SimplifyResult result;
  engine::Graph simplified;
  RewriteResult step = rewrite(from, root, simplified, rewrite_options);
  result.report = std::move(step.report);

  if (options.roundoff > 0.0) {
    engine::Graph rounded;
    rewrite_options.stage = kRoundStage;
    RewriteResult rounding = rewrite(simplified, step.root, rounded, rewrite_options);
    result.report.merge(rounding.report);
    if (!rounding.report.fired.empty()) {
      simplified = engine::Graph();
      rewrite_options.stage = kSimplifyStage;
      step = rewrite(rounded, rounding.root, simplified, rewrite_options);
      result.report.merge(step.report);
    }
  }

  if (!options.present) {
    const engine::NodeId roots[] = {step.root};
    result.root = engine::copy_into(simplified, roots, out, [](engine::NodeId) {
      return engine::kNoNode;
    })[0];
    return result;
  }
  rewrite_options.stage = kPresentStage;
  rewrite_options.normal_form = false;
  RewriteResult presented = rewrite(simplified, step.root, out, rewrite_options);
  result.root = presented.root;
  result.report.merge(presented.report);
  return result;
}

}  // namespace lies::simplify
