print("jacobi")
