import torch

class Vector:
    dims = 2
    created = 0

    def __init__(self, x, y):
        self.x, self.y = x, y
        Vector.created += 1

    def __repr__(self):
        return f"Vector({self.x!r}, {self.y!r})"

    def __str__(self):
        return f"({self.x}, {self.y})"

    def __eq__(self, other):
        return isinstance(other, Vector) and (self.x, self.y) == (other.x, other.y)

    def __add__(self, other):
        return Vector(self.x + other.x, self.y + other.y)

    def __mul__(self, k):
        return Vector(self.x * k, self.y * k)

    def __rmul__(self, k):
        return self * k

    def norm2(self):
        return self.x ** 2 + self.y ** 2

    @staticmethod
    def zero():
        return Vector(0, 0)

    @classmethod
    def from_tensor(cls, t):
        return cls(*t.tolist())

class Point3(Vector):
    dims = 3
    def __init__(self, x, y, z=0):
        super().__init__(x, y)
        self.z = z

    def __repr__(self):
        return f"Point3({self.x}, {self.y}, {self.z})"

a, b = Vector(1, 2), Vector(3, -1)
print(a, repr(b), [a, b], str(a + b))
print(a + b, a * 3, 2 * a, a == Vector(1, 2), a != b, a == "a")
print(sorted([b, a], key=Vector.norm2), max([a, b], key=lambda v: v.x))
v = Vector.from_tensor(torch.tensor([0.5, 1.5]))
print(v, Vector.created, Vector.dims)
p = Point3(1, 2, 3)
print(p, p + a, isinstance(p, Vector), isinstance(a, Point3))
print(issubclass(Point3, Vector), type(p).__name__, type(p) is Point3, Point3.__mro__[1].__name__)
print(hasattr(p, "z"), getattr(p, "w", "missing"), getattr(p, "x"))
setattr(p, "w", 9)
p.x += 10
print(p.w, p.x, hasattr(p, "w"), hasattr(Vector(5, 6), "w"))
print([n for n in dir(p) if not n.startswith("_")])
p.dims = 4
print(Point3.zero(), Point3.from_tensor(torch.tensor([7, 8])), 2 * Vector.from_tensor(torch.ones(2)))
print(p.dims, Point3.dims, Vector.norm2(b), a.__class__.__name__)
print(sum([Vector(1, 1), Vector(2, 2)], Vector.zero()))
try:
    a / 2
except TypeError as e:
    print("TypeError:", e)
