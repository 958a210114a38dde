/* The Hessian's fused loop [mul, mul, mul, mul] over [64, 16, 64] float32, written in C with the
 * same tiles as Jacobi's fused loops (1024 elements, rows of 64 read in place), to separate the
 * loop's own cost from its memory traffic: with RING = 1 the input and output stay in the cache;
 * with RING = 64 each run reads and writes buffers last touched 63 runs ago.
 *
 *   cc -O2 -o /tmp/fused_loop_cold bench/memory/fused_loop_cold.c
 *   /tmp/fused_loop_cold 1; /tmp/fused_loop_cold 64
 */
#include <immintrin.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
static double now(void){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec*1e-9;}
__attribute__((target("avx2"))) static void mulrows(const float *a, long sa, const float *b, long sb, float *y, long rows, long row) {
  for (long q=0;q<rows;q++){const float*pa=a+q*sa,*pb=b+q*sb; float*py=y+q*row; for(long j=0;j+8<=row;j+=8)_mm256_storeu_ps(py+j,_mm256_mul_ps(_mm256_loadu_ps(pa+j),_mm256_loadu_ps(pb+j)));}
}
int main(int argc, char**argv){
  long B=64,I=16,P=64, n=B*I*P, tile=1024; int ring = argc > 1 ? atoi(argv[1]) : 1;
  float *vs=malloc(4*n*ring),*outs=malloc(4*n*ring),*ba=malloc(4*B*P),*bc=malloc(4*B*P),*m=malloc(4*P),*i_=malloc(4*P);
  memset(vs,0,4*n*ring); memset(outs,0,4*n*ring);
  float *scr=aligned_alloc(64, 4*(tile+16)*8);
  for(long k=0;k<B*P;k++){ba[k]=1;bc[k]=2;} for(int k=0;k<P;k++){m[k]=3;i_[k]=4;}
  double best=1e9, tot=0;
  for(int r=0;r<300;r++){ float *v = vs + (r%ring)*n, *out = outs + (r%ring)*n; double t0=now();
    for(long s=0;s<n;s+=tile){ long b=s/(I*P); float *r1=scr, *r2=scr+(tile+16), *r3=scr+2*(tile+16);
      mulrows(v+s,P,ba+b*P,0,r1,tile/P,P); mulrows(r1,P,bc+b*P,0,r2,tile/P,P); mulrows(r2,P,m,0,r3,tile/P,P); mulrows(r3,P,i_,0,out+s,tile/P,P);
    }
    double t=now()-t0; tot+=t; if(t<best)best=t; }
  printf("ring %d: best %.1f us, mean %.1f us\n", ring, best*1e6, tot/300*1e6);
}
