import torch

class ShapeError(Exception):
    """Raised when a batch has the wrong shape."""
    def __init__(self, expected, got):
        super().__init__(f"expected {expected}, got {got}")
        self.expected = expected
        self.got = got

class StrictShapeError(ShapeError): pass

def check(x, n=3):
    if x.shape[-1] != n:
        raise StrictShapeError(n, x.shape[-1])
    return x.sum()

for t in [torch.ones(2, 3), torch.ones(2, 4)]:
    try:
        s = check(t)
    except ShapeError as e:
        print("caught:", e, "|", e.expected, e.got, type(e).__name__, repr(e), e.args)
    else:
        print("ok:", s)
    finally:
        print("checked", tuple(t.shape))
print(issubclass(StrictShapeError, ShapeError), issubclass(ShapeError, Exception))
print(issubclass(KeyboardInterrupt, Exception), issubclass(KeyboardInterrupt, BaseException),
      issubclass(SystemExit, Exception), issubclass(ZeroDivisionError, ArithmeticError))
print(StrictShapeError.__mro__[1].__name__, ShapeError.__doc__)

def load(config):
    try:
        return config["lr"]
    except KeyError as e:
        raise ValueError("config has no learning rate") from e

try:
    load({})
except ValueError as e:
    print(e, "| cause:", repr(e.__cause__), type(e.__cause__).__name__)

def reraise():
    try:
        1 / 0
    except ZeroDivisionError:
        print("logging and re-raising")
        raise

try:
    reraise()
except ArithmeticError as e:
    print("outer got", type(e).__name__, e)

try:
    raise KeyboardInterrupt
except Exception:
    print("not reached")
except BaseException as e:
    print("BaseException caught", type(e).__name__, repr(e))

def steps():
    order = []
    try:
        order.append("try")
        return order
    finally:
        order.append("finally")
print(steps())
err = ValueError("bad", 42)
print(err.args, str(err), repr(err), str(ValueError("only")), repr(Exception()))
