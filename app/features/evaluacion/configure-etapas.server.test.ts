import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog } from "~/db/schema";
import { createStaff, type TestStaff } from "../../../tests/support/accounts";
import { expectRefusal } from "../../../tests/support/errors";
import { assignDirect, score, setupEvaluacion } from "../../../tests/support/evaluacion";
import { createTestServices, type TestServices } from "../../../tests/support/services";
import { closeEtapa } from "./close-etapa.server";
import { configureEtapas } from "./configure-etapas.server";
import { loadEvaluacion } from "./load-evaluacion.server";

describe("configureEtapas", () => {
  let s: TestServices;
  let gestor: TestStaff, ev1: TestStaff;
  beforeAll(async () => {
    s = await createTestServices();
    [gestor, ev1] = [await createStaff(s, "gestor"), await createStaff(s, "evaluador")];
  });
  afterAll(async () => s?.close());

  it("lets the gestor add the optional evaluación técnica with weights adding up to 100 %, and locks the stages once one is closed", async () => {
    const { conv, ps, curricular } = await setupEvaluacion(s, 1);
    const base = { services: s, actorId: gestor.id, convocatoriaId: conv.id, bonificacionesAcumulables: false, publicarComo: "documento_enmascarado" as const };
    const tres = (pesoTecnica: number) => [
      { tipo: "curricular" as const, peso: 3000, maximo: 3000, minimo: 2000 },
      { tipo: "tecnica" as const, peso: pesoTecnica, maximo: 2000, minimo: 1200 },
      { tipo: "entrevista" as const, peso: 4000, maximo: 5000, minimo: 3500 },
    ];
    await expectRefusal(configureEtapas({ ...base, etapas: tres(2000) }), "evaluacion.pesos_no_suman_100", 422, /sumar 100 %; ahora suman 90/);
    await expectRefusal(configureEtapas({ ...base, etapas: [{ tipo: "curricular", peso: 10000, maximo: 5000, minimo: 6000 }, { tipo: "entrevista", peso: 0, maximo: 5000, minimo: 0 }] }), "evaluacion.minimo_invalido", 422, /mínimo/);
    await configureEtapas({ ...base, etapas: tres(3000) });
    const ev = await loadEvaluacion(s.db, conv.id);
    expect(ev.etapas.map((e) => [e.tipo, e.peso, e.maximo, e.minimo])).toEqual([
      ["curricular", 3000, 3000, 2000],
      ["tecnica", 3000, 2000, 1200],
      ["entrevista", 4000, 5000, 3500],
    ]);
    expect(ev.config).toMatchObject({ bonificacionesAcumulables: false, publicarComo: "documento_enmascarado" });
    await assignDirect(s, curricular.id, [ev1.id]);
    await score(s, ev1, curricular.id, [[ps[0]!, "25"]]);
    await closeEtapa({ services: s, actorId: gestor.id, convocatoriaId: conv.id, etapaId: curricular.id });
    await expectRefusal(configureEtapas({ ...base, etapas: tres(3000) }), "evaluacion.configuracion_cerrada", 409, /ya no puede cambiar/);
    const audit = await s.db.select().from(auditLog).where(and(eq(auditLog.event, "evaluacion.configurada"), eq(auditLog.entityId, conv.id)));
    expect(audit).toHaveLength(1);
  });
});
