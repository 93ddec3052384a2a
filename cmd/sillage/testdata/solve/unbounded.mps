NAME          UNBND
* Minimise -x subject to x >= 10: unbounded.
ROWS
 N  COST
 G  DEMAND
COLUMNS
    X         COST          -1.0   DEMAND         1.0
RHS
    RHS       DEMAND        10.0
ENDATA
