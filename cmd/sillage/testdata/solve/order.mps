NAME          ORDER
* A boutique needs 50 watches. The supplier ships cases of 12 (CASES),
* with a minimum order of 36 units (ORDERED = 1 when an order is placed,
* at most 120 units), at 4 EUR a unit plus 30 EUR an order; each unit
* short costs 10 EUR. Optimum: 4 cases, 48 units, 2 short, 242 EUR. The
* LP relaxation costs 212.5 EUR.
ROWS
 N  COST
 E  PACK
 L  CEILING
 G  MOQ
 G  DEMAND
COLUMNS
    MARKER                 'MARKER'                 'INTORG'
    CASES     PACK         -12.0
    MARKER                 'MARKER'                 'INTEND'
    UNITS     COST           4.0   PACK           1.0
    UNITS     CEILING        1.0   MOQ            1.0
    UNITS     DEMAND         1.0
    MARKER                 'MARKER'                 'INTORG'
    ORDERED   COST          30.0   CEILING     -120.0
    ORDERED   MOQ          -36.0
    MARKER                 'MARKER'                 'INTEND'
    SHORT     COST          10.0   DEMAND         1.0
RHS
    RHS       DEMAND        50.0
BOUNDS
* Integer columns without bounds would be binary (an MPS convention).
 UP BND       CASES         10.0
 UP BND       ORDERED        1.0
ENDATA
