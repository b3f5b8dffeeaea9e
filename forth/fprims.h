/*
 * fprims.h -- the FLOATING and FLOATING EXT primitives: part of the
 * primitive table (prims.h appends FVM_FLOAT_PRIMS to FVM_PRIMS).
 *
 * The P entries run in the inner interpreter (forth/run_float.h), the C
 * entries are C functions: float.c (stack, defining words, literals),
 * fout.c (conversion and output), fwords.c (the math functions).
 */
#define FVM_FLOAT_PRIMS \
    /* hot: stack, arithmetic, comparison, memory, conversion */ \
    P(FLIT, "(flit)", 0) P(FDUP, "FDUP", 0) P(FDROP, "FDROP", 0) P(FSWAP, "FSWAP", 0) \
    P(FOVER, "FOVER", 0) P(FROT, "FROT", 0) P(FNIP, "FNIP", 0) P(FTUCK, "FTUCK", 0) \
    P(FPICK, "FPICK", 0) P(FDEPTH, "FDEPTH", 0) \
    P(FPLUS, "F+", 0) P(FMINUS, "F-", 0) P(FSTAR, "F*", 0) P(FSLASH, "F/", 0) \
    P(FNEGATE, "FNEGATE", 0) P(FABS, "FABS", 0) P(FSQRT, "FSQRT", 0) \
    P(FMIN, "FMIN", 0) P(FMAX, "FMAX", 0) \
    P(FLT, "F<", 0) P(FGT, "F>", 0) P(FEQ, "F=", 0) P(FNE, "F<>", 0) \
    P(FLE, "F<=", 0) P(FGE, "F>=", 0) P(FZLT, "F0<", 0) P(FZEQ, "F0=", 0) \
    P(FZGT, "F0>", 0) P(FZNE, "F0<>", 0) P(FZLE, "F0<=", 0) P(FZGE, "F0>=", 0) \
    P(FFETCH, "F@", 0) P(FSTORE, "F!", 0) P(DFFETCH, "DF@", 0) P(DFSTORE, "DF!", 0) \
    P(SFFETCH, "SF@", 0) P(SFSTORE, "SF!", 0) \
    P(STOF, "S>F", 0) P(FTOS, "F>S", 0) P(DTOF, "D>F", 0) P(FTOD, "F>D", 0) \
    P(FLOATS, "FLOATS", 0) P(FLOATPLUS, "FLOAT+", 0) P(DFLOATS, "DFLOATS", 0) \
    P(DFLOATPLUS, "DFLOAT+", 0) P(SFLOATS, "SFLOATS", 0) P(SFLOATPLUS, "SFLOAT+", 0) \
    P(FALIGNED, "FALIGNED", 0) P(DFALIGNED, "DFALIGNED", 0) P(SFALIGNED, "SFALIGNED", 0) \
    /* superinstructions (peep.c): address F@ / F! */ \
    P(LITFFETCH, "(lit-f@)", 0) P(LITFSTORE, "(lit-f!)", 0) \
    /* and frequent pairs in float code: squares, F2DUP, compare-branch,    \
     * a variable's float into + - *, multiply-add (rounded twice, as the \
     * two words) */ \
    P(FDUPFSTAR, "(fdup-f*)", 0) P(FOVERFOVER, "(fover-fover)", 0) \
    P(FLT0BR, "(f<0branch)", 0) P(FGT0BR, "(f>0branch)", 0) \
    P(LITFFETCHFPLUS, "(lit-f@-f+)", 0) P(LITFFETCHFMINUS, "(lit-f@-f-)", 0) \
    P(LITFFETCHFSTAR, "(lit-f@-f*)", 0) P(FSTARFPLUS, "(f*-f+)", 0) \
    /* cold: float.c */ \
    C(FCONSTANT, "FCONSTANT", 0, fc_fconstant) C(FVARIABLE, "FVARIABLE", 0, fc_fvariable) \
    C(FVALUE, "FVALUE", 0, fc_fvalue) \
    C(FLITERAL, "FLITERAL", F_IMMEDIATE | F_COMPILE_ONLY, fc_fliteral) \
    C(FALIGN, "FALIGN", 0, fc_falign) C(DFALIGN, "DFALIGN", 0, fc_falign) \
    C(SFALIGN, "SFALIGN", 0, fc_sfalign) C(FPROX, "F~", 0, fc_fprox) \
    C(FLOOR, "FLOOR", 0, fc_floor) C(FROUND, "FROUND", 0, fc_fround) C(FTRUNC, "FTRUNC", 0, fc_ftrunc) \
    /* cold: fout.c */ \
    C(TOFLOAT, ">FLOAT", 0, fc_tofloat) C(REPRESENT, "REPRESENT", 0, fc_represent) \
    C(FDOT, "F.", 0, fc_fdot) C(FEDOT, "FE.", 0, fc_fedot) C(FSDOT, "FS.", 0, fc_fsdot) \
    C(PRECISION, "PRECISION", 0, fc_precision) \
    C(SETPRECISION, "SET-PRECISION", 0, fc_set_precision) \
    /* cold: fwords.c */ \
    C(FSIN, "FSIN", 0, fc_fsin) C(FCOS, "FCOS", 0, fc_fcos) C(FTAN, "FTAN", 0, fc_ftan) \
    C(FSINCOS, "FSINCOS", 0, fc_fsincos) C(FASIN, "FASIN", 0, fc_fasin) \
    C(FACOS, "FACOS", 0, fc_facos) C(FATAN, "FATAN", 0, fc_fatan) C(FATAN2, "FATAN2", 0, fc_fatan2) \
    C(FEXP, "FEXP", 0, fc_fexp) C(FEXPM1, "FEXPM1", 0, fc_fexpm1) C(FALOG, "FALOG", 0, fc_falog) \
    C(FLN, "FLN", 0, fc_fln) C(FLNP1, "FLNP1", 0, fc_flnp1) C(FLOG, "FLOG", 0, fc_flog) \
    C(FPOW, "F**", 0, fc_fpow) C(FSINH, "FSINH", 0, fc_fsinh) C(FCOSH, "FCOSH", 0, fc_fcosh) \
    C(FTANH, "FTANH", 0, fc_ftanh) C(FASINH, "FASINH", 0, fc_fasinh) \
    C(FACOSH, "FACOSH", 0, fc_facosh) C(FATANH, "FATANH", 0, fc_fatanh)
