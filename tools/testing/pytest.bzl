"""pytest files as Bazel tests, counted case by case through JUnit XML."""

def pytest_test(name, srcs = None, deps = [], data = [], **kwargs):
    """A py_test running `name`.py (or `srcs`) under pytest.

    Args:
      name: the test; its file is `name`.py unless srcs is given.
      srcs: the pytest files, if not just `name`.py.
      deps: py_library dependencies.
      data: runtime files (binaries under test, fixtures).
      **kwargs: size, timeout, tags and the other test attributes.
    """
    files = srcs or [name + ".py"]
    native.py_test(
        name = name,
        srcs = ["//tools/testing:pytest_main.py"] + files,
        main = "//tools/testing:pytest_main.py",
        args = ["$(location %s)" % f for f in files],
        data = data + files,
        deps = deps,
        python_version = "PY3",
        **kwargs
    )
