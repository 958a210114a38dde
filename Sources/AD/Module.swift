// AD module
