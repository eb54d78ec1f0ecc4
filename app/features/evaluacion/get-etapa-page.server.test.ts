import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StaffRole } from "~/shared/permissions";
import { createStaff } from "../../../tests/support/accounts";
import { assignDirect, createConvocatoria, createPostulaciones } from "../../../tests/support/evaluacion";
import { createTestServices, type TestServices } from "../../../tests/support/services";
import { checkEtapaAccess } from "./check-etapa-access.server";
import { getEtapaPage } from "./get-etapa-page.server";
import { loadEvaluacion } from "./load-evaluacion.server";
import { recordPuntaje } from "./record-puntaje.server";

describe("getEtapaPage", () => {
  let s: TestServices;
  beforeAll(async () => {
    s = await createTestServices();
  });
  afterAll(async () => s?.close());

  it("shows an evaluador their own scores only, and the HR office every evaluador's, the average and the result", async () => {
    const conv = await createConvocatoria(s);
    const [a, b] = await createPostulaciones(s, conv.id, 2);
    const etapa = (await loadEvaluacion(s.db, conv.id)).etapas[0]!;
    const [ev1, ev2, gestor] = [await createStaff(s, "evaluador"), await createStaff(s, "evaluador"), await createStaff(s, "gestor")];
    await assignDirect(s, etapa.id, [ev1.id, ev2.id]);
    await recordPuntaje({ services: s, actorId: ev1.id, etapaId: etapa.id, filas: [{ postulacionId: a!.id, puntaje: "40", observacion: "Sólido" }] });
    await recordPuntaje({ services: s, actorId: ev2.id, etapaId: etapa.id, filas: [{ postulacionId: a!.id, puntaje: "30", observacion: "" }] });
    const page = async (actor: { id: string; role: StaffRole }) =>
      getEtapaPage({ db: s.db, acceso: await checkEtapaAccess(s.db, etapa.id, actor), actorId: actor.id, pagina: "7" });

    const mia = await page(ev1);
    expect(mia).toMatchObject({ etapa: { id: etapa.id, estado: "abierta", maximo: "50.00", minimo: "35.00" }, asignado: true, gestiona: false, total: 2, faltantes: 1, pagina: 1, paginas: 1 });
    expect(mia.filas.map((f) => [f.numero, f.miPuntaje, f.miObservacion, f.puntajes, f.promedio, f.resultado])).toEqual([
      [a!.numero, "40.00", "Sólido", [], null, null],
      [b!.numero, "", "", [], null, null],
    ].sort((x, y) => String(x[0]).localeCompare(String(y[0]))));

    const todas = await page(gestor);
    expect(todas.gestiona).toBe(true);
    const fila = todas.filas.find((f) => f.id === a!.id)!;
    expect(fila.puntajes.map((p) => [p.id, p.puntaje]).sort()).toEqual([[ev1.id, "40.00"], [ev2.id, "30.00"]].sort());
    expect([fila.promedio, fila.resultado]).toEqual(["35.00", "APTO"]);
  });
});
