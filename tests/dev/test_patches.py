"""The unified-diff applier behind the wrong fixtures: strict, with messages naming the hunk."""

from __future__ import annotations

import pytest

from nnquiz.dev.patches import PatchError, apply_patch, parse_patch

SOLUTION = "def f(x):\n    y = x + 1\n    return y\n\n\ndef g():\n    return 0\n"
PATCH = """# bug: adds two instead of one
--- a/solutions/demo.py
+++ b/solutions/demo.py
@@ -1,3 +1,3 @@
 def f(x):
-    y = x + 1
+    y = x + 2
     return y
@@ -6,2 +6,3 @@
 def g():
+    print("hi")
     return 0
"""


def test_applies_hunks_in_order():
    patch = parse_patch(PATCH, "demo.patch")
    assert patch.bug == "adds two instead of one"
    assert patch.changed_lines == 3
    assert apply_patch(patch, SOLUTION) == (
        'def f(x):\n    y = x + 2\n    return y\n\n\ndef g():\n    print("hi")\n    return 0\n'
    )


def test_drifted_context_names_the_patch_and_hunk():
    drifted = SOLUTION.replace("def g():", "def g() -> int:")
    with pytest.raises(PatchError, match=r"demo\.patch: hunk 2 \(@@ -6\) does not apply: line 6"):
        apply_patch(parse_patch(PATCH, "demo.patch"), drifted)


@pytest.mark.parametrize(
    "text, message",
    [
        (PATCH.replace("# bug: adds two instead of one\n", ""), "first line must be `# bug: "),
        ("# bug: x\n--- a\n+++ b\n", "no hunks"),
        (PATCH.replace("@@ -6,2 +6,3 @@", "@@ -6,5 +6,3 @@"), "cut short"),
    ],
    ids=["no bug line", "no hunks", "short hunk"],
)
def test_malformed_patches_are_refused(text, message):
    with pytest.raises(PatchError, match=message):
        parse_patch(text, "demo.patch")


def test_missing_final_newline():
    patch = parse_patch(
        "# bug: x\n--- a\n+++ b\n@@ -1 +1 @@\n-a\n\\ No newline at end of file\n+b\n"
        "\\ No newline at end of file\n"
    )
    assert apply_patch(patch, "a") == "b"
