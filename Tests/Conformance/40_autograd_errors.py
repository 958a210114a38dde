import torch

torch.manual_seed(0)

def attempt(label, fn):
    try:
        fn()
        print(label, "ran")
    except RuntimeError as e:
        print(f"{label}: RuntimeError: {e}")

x = torch.randn(3, requires_grad=True)
plain = torch.randn(3)

attempt("non-scalar", lambda: (x * 2).backward())
attempt("no grad", lambda: (plain * 2).sum().backward())
attempt("unused input", lambda: torch.autograd.grad((x * 2).sum(), [x, torch.ones(1, requires_grad=True)]))
attempt("input not requiring grad", lambda: torch.autograd.grad((x * 2).sum(), plain))

y = (x.exp() * 2).sum()
y.backward()
attempt("second backward", lambda: y.backward())

z = (x * 3).sum()
z.backward(retain_graph=True)
z.backward()
print("retained twice:", x.grad)

def leaf_inplace():
    x.add_(1)
attempt("leaf in-place", leaf_inplace)

def leaf_setitem():
    x[0] = 5.0
attempt("leaf setitem", leaf_setitem)

def modified():
    a = x * 2
    b = a.sin()
    a.mul_(2)
    b.sum().backward()
attempt("modified", modified)

def modified_output():
    a = x.exp()
    a.add_(1)
    a.sum().backward()
attempt("modified output", modified_output)

def fine():
    a = x * 2
    b = a + 1
    a.mul_(2)
    b.sum().backward()
attempt("modified, not needed", fine)

def shape_mismatch():
    (x * 2).backward(torch.ones(4))
attempt("gradient shape", shape_mismatch)

def int_grad():
    torch.arange(3).requires_grad_()
attempt("int requires_grad", int_grad)

def nonleaf_flag():
    (x * 2).requires_grad_(False)
attempt("non-leaf flag", nonleaf_flag)

def numpy_of_grad():
    x.numpy()
attempt("numpy", numpy_of_grad)

print("still here:", x.requires_grad, x.is_leaf)
