NAME          INFEAS
* Ship at least 10 units from a depot that holds 6: infeasible.
ROWS
 N  COST
 G  DEMAND
 L  STOCK
COLUMNS
    SHIP      COST           2.0   DEMAND         1.0
    SHIP      STOCK          1.0
    AIR       COST           5.0   DEMAND         1.0
    AIR       STOCK          1.0
RHS
    RHS       DEMAND        10.0   STOCK          6.0
ENDATA
