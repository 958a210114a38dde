// Printer module
