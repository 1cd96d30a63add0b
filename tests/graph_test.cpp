#include "engine/graph.hpp"

#include <doctest/doctest.h>

#include <vector>

namespace lies::engine {
namespace {

TEST_SUITE("Graph") {
  TEST_CASE("Graph: equal subtrees share one node") {
    Graph g;
    const NodeId x = g.input(0);
    const NodeId a = g.sin(g.mul(g.param(3), x));
    const std::size_t size = g.size();
    const NodeId b = g.sin(g.mul(g.param(3), x));
    CHECK(a == b);
    CHECK(g.size() == size);
  }

  TEST_CASE("Graph: commutative children are ordered") {
    Graph g;
    const NodeId x = g.input(0);
    const NodeId y = g.input(1);
    CHECK(g.add(x, y) == g.add(y, x));
    CHECK(g.mul(x, y) == g.mul(y, x));
    CHECK(g.div(x, y) != g.div(y, x));
    CHECK(g.pow(x, y) != g.pow(y, x));
  }

  TEST_CASE("Graph: children have smaller ids") {
    Graph g;
    const NodeId x = g.input(0);
    NodeId e = x;
    for (int k = 0; k < 50; ++k) e = g.add(g.exp(e), g.constant(k));
    for (NodeId id = 0; id < g.size(); ++id) {
      const Node& node = g.node(id);
      for (int k = 0; k < arity(node.op); ++k) CHECK(node.child[k] < id);
    }
  }

  TEST_CASE("Graph: leaves differ by index and value") {
    Graph g;
    CHECK(g.input(0) != g.input(1));
    CHECK(g.param(0) != g.param(1));
    CHECK(g.constant(1.0) != g.constant(2.0));
    CHECK(g.constant(0.0) == g.constant(-0.0));
    CHECK(g.input(0) != g.param(0));
    CHECK(g.prot_log(g.input(0), 0.005) != g.prot_log(g.input(0), 0.01));
  }

  TEST_CASE("Graph: structural hash ignores ids") {
    Graph first;
    const NodeId a = first.add(first.sin(first.input(0)), first.constant(2.0));

    Graph second;
    second.input(5);  // shifts every later id
    second.constant(7.0);
    const NodeId b = second.add(second.constant(2.0), second.sin(second.input(0)));

    CHECK(a != b);
    CHECK(first.hash(a) == second.hash(b));
    CHECK(first.hash(a) != first.hash(first.input(0)));
  }

  TEST_CASE("Graph: hashing is the same in every run") {
    // The value is fixed so that a change of the hash function, which would reorder
    // every canonical form and every saved formula, is a deliberate one.
    Graph g;
    const NodeId x = g.input(0);
    const std::uint64_t h = g.hash(g.mul(g.constant(2.5), x));
    Graph again;
    CHECK(again.hash(again.mul(again.input(0), again.constant(2.5))) == h);
    CHECK(hash_mix(0, 0) == 0xe220a8397b1dcdafULL);
  }

  TEST_CASE("Graph: op table round-trips spellings") {
    for (int k = 0; k < kNumOps; ++k) {
      const Op op = static_cast<Op>(k);
      const auto back = op_from_spelling(spelling(op));
      REQUIRE(back.has_value());
      CHECK(*back == op);
    }
    CHECK_FALSE(op_from_spelling("nosuchop").has_value());
  }

  TEST_CASE("Graph: reachable marks only the live part") {
    Graph g;
    const NodeId x = g.input(0);
    const NodeId dead = g.exp(x);
    const NodeId live = g.sin(x);
    const NodeId roots[] = {live};
    const std::vector<bool> mask = reachable(g, roots);
    CHECK(mask[x]);
    CHECK(mask[live]);
    CHECK_FALSE(mask[dead]);
  }

  TEST_CASE("Graph: copy_into substitutes leaves") {
    Graph from;
    const NodeId root = from.add(from.mul(from.param(0), from.input(0)), from.param(1));
    Graph to;
    const NodeId roots[] = {root};
    const auto copied = copy_into(from, roots, to, [&](NodeId id) {
      const Node& node = from.node(id);
      if (node.op == Op::Param) return to.constant(node.index == 0 ? 2.0 : 3.0);
      return kNoNode;
    });
    REQUIRE(copied.size() == 1);
    CHECK(copied[0] == to.add(to.mul(to.constant(2.0), to.input(0)), to.constant(3.0)));
  }
}

}  // namespace
}  // namespace lies::engine
