"""Demand control: what one GraphQL request may ask of the hub, decided before it runs.

Two steps, as routers do it (Apollo Router's demand control, the IBM GraphQL cost
directive specification):

1. **Before parsing** (``check_text``): one pass of graphql-core's ``Lexer`` counts tokens,
   operations and aliases and stops at the first limit exceeded, so a 1.3 MiB document
   of 40,000 operations costs the lexing of its first few hundred tokens, never the
   parse or the validation (whose cost grows with the square of the operations).
2. **After validation** (``operation_costs``): a static cost per operation. A field
   of an object type costs 1 per object it can return, a scalar 0; a list field
   multiplies its subtree by its size: the ``first`` / ``limit`` argument given as a
   literal or as a variable — its value in the request (``operation_cost``), else the
   variable's default, else the argument's default — else an assumed size. A
   connection's slicing argument sizes its ``edges`` / ``nodes``.
   Introspection is free (the schema bounds it). ``refusal`` compares the cost with
   the caller's role's budget.

Refusals carry a stable ``extensions.code`` and a Spanish message; nothing runs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    is_composite_type,
)
from graphql.error import GraphQLSyntaxError
from graphql.language import Lexer, Source, TokenKind
from graphql.type import GraphQLInterfaceType, GraphQLObjectType

from hub import metrics

MAX_TOKENS = 15_000
MAX_OPERATIONS = 50
MAX_ALIASES = 100

# The arguments that say how many items a list (or a connection) returns.
SLICING_ARGUMENTS = ("first", "limit", "last")
# A list argument whose length is the size of the list returned (a batch lookup).
BATCH_ARGUMENTS = ("documents", "representations", "ids")
ASSUMED_SLICE = 100  # a slicing argument given by a variable without default
ASSUMED_LIST = 10  # a nested list without slicing argument (a case's members, history)
SIZED_CHILDREN = ("edges", "nodes")

# Budgets per role (Role values); the public and applicants get the least.
DEFAULT_BUDGET = 20_000
BUDGETS: Mapping[str, int] = {
    "public": 2_000,
    "applicant": 2_000,
}


@dataclass(frozen=True)
class TextShape:
    tokens: int
    operations: int
    aliases: int


def refused(message: str, code: str, **extensions: int) -> GraphQLError:
    """The refusal (counted in ``qhub_demand_control_refusals_total`` by code)."""
    metrics.demand_refused(code)
    return GraphQLError(message, extensions={"code": code, **extensions})


def check_text(query: str) -> TextShape:
    """Count tokens, operations and aliases of ``query`` without parsing it; raise the
    refusal (``GraphQLError`` with its code) at the first limit exceeded.

    Operations are definitions at the top level (``query``/``mutation``/``subscription``
    or a bare ``{``); aliases are ``name:`` inside a selection set (outside arguments,
    variable definitions and directives' arguments, which are all in parentheses).
    A lexical error stops counting: the parser then reports it."""
    lexer = Lexer(Source(query))
    tokens = operations = aliases = 0
    braces = parens = 0
    definition_open = False  # a keyword at the top level whose ``{`` is its own
    previous_name = False
    try:
        token = lexer.advance()
        while token.kind is not TokenKind.EOF:
            tokens += 1
            if tokens > MAX_TOKENS:
                raise refused(
                    f"La consulta tiene más de {MAX_TOKENS} elementos; acórtela.",
                    "TOO_MANY_TOKENS",
                    limit=MAX_TOKENS,
                )
            kind = token.kind
            if kind is TokenKind.BRACE_L:
                if braces == 0 and parens == 0:
                    if not definition_open:
                        operations += 1
                    definition_open = False
                braces += 1
            elif kind is TokenKind.BRACE_R:
                braces -= 1
            elif kind is TokenKind.PAREN_L:
                parens += 1
            elif kind is TokenKind.PAREN_R:
                parens -= 1
            elif kind is TokenKind.NAME and braces == 0 and parens == 0:
                if token.value in ("query", "mutation", "subscription") and not definition_open:
                    operations += 1
                    definition_open = True
                elif token.value == "fragment" and not definition_open:
                    definition_open = True
            elif kind is TokenKind.COLON and previous_name and braces > 0 and parens == 0:
                aliases += 1
                if aliases > MAX_ALIASES:
                    raise refused(
                        f"La consulta usa más de {MAX_ALIASES} alias; el máximo es {MAX_ALIASES}.",
                        "TOO_MANY_ALIASES",
                        limit=MAX_ALIASES,
                    )
            if operations > MAX_OPERATIONS:
                raise refused(
                    f"El documento tiene más de {MAX_OPERATIONS} operaciones; el máximo es "
                    f"{MAX_OPERATIONS}.",
                    "TOO_MANY_OPERATIONS",
                    limit=MAX_OPERATIONS,
                )
            previous_name = kind is TokenKind.NAME
            token = lexer.advance()
    except GraphQLSyntaxError:
        pass  # the parser reports it, with its location
    return TextShape(tokens, operations, aliases)


def budget_for(role: str | None) -> int:
    return BUDGETS.get(role or "public", DEFAULT_BUDGET)


def refusal(cost: int, role: str | None) -> GraphQLError | None:
    """The refusal of an operation of ``cost`` for ``role``, or None when it fits."""
    budget = budget_for(role)
    if cost <= budget:
        return None
    return refused(
        f"La consulta es demasiado costosa ({cost} puntos; su límite es {budget}). "
        "Pida menos elementos o divídala en varias consultas.",
        "COST_LIMIT_EXCEEDED",
        cost=cost,
        budget=budget,
    )


def operation_costs(schema: GraphQLSchema, document: object) -> dict[str | None, int]:
    """The static cost of each operation of a validated ``document``, by name (None for
    an anonymous one)."""
    definitions = getattr(document, "definitions", ())
    fragments = {d.name.value: d for d in definitions if isinstance(d, FragmentDefinitionNode)}
    costs: dict[str | None, int] = {}
    for definition in definitions:
        if not isinstance(definition, OperationDefinitionNode):
            continue
        root = schema.get_root_type(definition.operation)
        if root is None:
            continue
        walker = _CostWalker(schema, fragments, _variable_defaults(definition))
        name = definition.name.value if definition.name else None
        costs[name] = walker.cost(definition.selection_set, root, None)
    return costs


def operation_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Mapping[str, object],
) -> int:
    """The cost of ``operation`` with the request's ``variables``: a list sized by a
    variable is as long as the value sent, not the default (a cached, per-text cost
    cannot know it)."""
    root = schema.get_root_type(operation.operation)
    if root is None:
        return 0
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    sizes = dict(_variable_defaults(operation))
    for name, value in variables.items():
        if isinstance(value, int) and not isinstance(value, bool):
            sizes[name] = max(value, 0)
        elif isinstance(value, list):
            sizes[name] = len(value)
    return _CostWalker(schema, fragments, sizes).cost(operation.selection_set, root, None)


def sized_by(variables: Mapping[str, object] | None) -> bool:
    """Whether the request's ``variables`` can make ``operation_cost`` differ from the
    static cost of its text: only an integer or a list value sizes anything."""
    if not variables:
        return False
    return any(
        isinstance(value, list) or (isinstance(value, int) and not isinstance(value, bool))
        for value in variables.values()
    )


def _variable_defaults(operation: OperationDefinitionNode) -> dict[str, int]:
    defaults: dict[str, int] = {}
    for variable in operation.variable_definitions or ():
        value = variable.default_value
        if isinstance(value, IntValueNode):
            defaults[variable.variable.name.value] = int(value.value)
        elif isinstance(value, ListValueNode):
            defaults[variable.variable.name.value] = len(value.values)
    return defaults


class _CostWalker:
    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: dict[str, FragmentDefinitionNode],
        defaults: dict[str, int],
    ):
        self.schema = schema
        self.fragments = fragments
        self.defaults = defaults
        self.memo: dict[tuple[str, int | None], int] = {}

    def cost(
        self, selection_set: SelectionSetNode | None, parent: GraphQLNamedType, sized: int | None
    ) -> int:
        if selection_set is None:
            return 0
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += self._field(selection, parent, sized)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                on = self.schema.get_type(condition.name.value) if condition else parent
                total += self.cost(selection.selection_set, on or parent, sized)
            elif isinstance(selection, FragmentSpreadNode):
                total += self._fragment(selection.name.value, parent, sized)
        return total

    def _fragment(self, name: str, parent: GraphQLNamedType, sized: int | None) -> int:
        key = (name, sized)
        if key not in self.memo:
            self.memo[key] = 0  # a cycle (refused by validation anyway) costs nothing more
            fragment = self.fragments.get(name)
            if fragment is not None:
                on = self.schema.get_type(fragment.type_condition.name.value) or parent
                self.memo[key] = self.cost(fragment.selection_set, on, sized)
        return self.memo[key]

    def _field(self, node: FieldNode, parent: GraphQLNamedType, sized: int | None) -> int:
        name = node.name.value
        if name.startswith("__"):
            return 0
        if not isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
            return 0
        field = parent.fields.get(name)
        if field is None:
            return 0
        named = get_named_type(field.type)
        if not is_composite_type(named):
            return 0
        slice_size = self._slice(node, field)
        if _is_list(field):
            size = slice_size or (sized if name in SIZED_CHILDREN and sized else ASSUMED_LIST)
            return size * (1 + self.cost(node.selection_set, named, None))
        # a connection: its slicing argument sizes its edges / nodes
        return 1 + self.cost(node.selection_set, named, slice_size)

    def _slice(self, node: FieldNode, field: GraphQLField) -> int | None:
        for argument in node.arguments or ():
            arg = argument.name.value
            if arg not in SLICING_ARGUMENTS and arg not in BATCH_ARGUMENTS:
                continue
            value = argument.value
            if isinstance(value, IntValueNode):
                return max(int(value.value), 0)
            if isinstance(value, ListValueNode):
                return len(value.values)
            if isinstance(value, VariableNode):
                known = self.defaults.get(value.name.value)
                if known is not None:
                    return known
                declared = field.args.get(arg)
                default = declared.default_value if declared is not None else None
                return default if isinstance(default, int) and default > 0 else ASSUMED_SLICE
        for arg in SLICING_ARGUMENTS:
            declared = field.args.get(arg)
            if declared is not None and isinstance(declared.default_value, int):
                return max(declared.default_value, 0)
        return None


def _is_list(field: GraphQLField) -> bool:
    kind = field.type
    if isinstance(kind, GraphQLNonNull):
        kind = kind.of_type
    return isinstance(kind, GraphQLList)
