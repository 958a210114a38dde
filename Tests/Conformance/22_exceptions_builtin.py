import math

def report(fn):
    try:
        fn()
    except Exception as e:
        print(f"{type(e).__name__:<20} {e!r}")

def add(a, b):
    return a + b

class Shape:
    def area(self):
        raise NotImplementedError("subclasses must implement area()")

report(lambda: [1, 2, 3][5])
report(lambda: {"a": 1}["missing"])
report(lambda: (1, 2).append(3))
report(lambda: undefined_name)
report(lambda: 1 / 0)
report(lambda: 1.0 / 0)
report(lambda: 5 % 0)
report(lambda: math.exp(1000))
report(lambda: float(2 ** 2000))
report(lambda: 2.0 ** 5000)
report(lambda: [0] * (2 ** 62))
report(lambda: add(1, 2, 3))
report(lambda: add(1))
report(lambda: add(1, c=2))
report(lambda: 1 + "a")
report(lambda: len(5))
report(lambda: int("abc"))
report(lambda: next(iter([])))
report(lambda: Shape().area())
report(lambda: math.sqrt(-1))

def forever(n):
    return forever(n + 1)
try:
    forever(0)
except RecursionError as e:
    print("RecursionError", "recursion" in str(e), isinstance(e, RuntimeError))

try:
    import not_a_real_module
except ImportError as e:
    print(type(e).__name__, e, isinstance(e, ImportError), e.name)

try:
    open("_no_such_file.txt")
except OSError as e:
    print(type(e).__name__, e.errno, e.filename, isinstance(e, FileNotFoundError))

try:
    assert 1 + 1 == 3, "math is broken"
except AssertionError as e:
    print("AssertionError:", e)

it = iter([10, 20])
print(next(it), next(it), next(it, "exhausted"))
try:
    next(it)
except StopIteration as e:
    print("StopIteration", repr(e))
try:
    {"a": 1}["missing"]
except KeyError as e:
    print("KeyError str:", e, "| args:", e.args)
print(issubclass(FileNotFoundError, OSError), issubclass(ModuleNotFoundError, ImportError),
      issubclass(RecursionError, RuntimeError), issubclass(KeyError, LookupError))
