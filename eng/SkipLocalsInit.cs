// Hot-path code writes every stackalloc'd byte before reading it (house rule 10).
[module: System.Runtime.CompilerServices.SkipLocalsInit]
