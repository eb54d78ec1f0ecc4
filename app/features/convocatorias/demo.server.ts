import { sql } from "drizzle-orm";
import { PDFDocument, StandardFonts, type PDFFont } from "pdf-lib";
import { convocatorias, declaracionesJuradasFormatos } from "~/db/schema";
import type { Services } from "~/platform/services.server";
import { newStorageKey } from "~/platform/storage.server";
import { busquedaDe, documentosElegidos, guardarPerfil, replaceDocumentos, replaceEtapas } from "./convocatoria-datos.server";
import { ETAPAS_POR_DEFECTO } from "./cronograma";
import { normalizeSearch } from "./normalize";

/**
 * DEMO_DATA=1: a believable entity's convocatorias in every state (borrador, publicada
 * before its window, en postulación — three of them open from the moment of seeding for
 * 30 days —, en evaluación, concluida, cancelada, desierta), in several unidades orgánicas,
 * each with generated bases, plus the Declaraciones Juradas formats.
 */
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const UNIDADES = [
  "Oficina de Recursos Humanos",
  "Oficina de Tecnologías de la Información",
  "Dirección de Inmigración",
  "Oficina de Administración y Finanzas",
  "Oficina de Asesoría Jurídica",
  "Jefatura Zonal de Arequipa",
  "Jefatura Zonal de Cusco",
  "Jefatura Zonal de Piura",
];

const SEDES: [string, string][] = [
  ["Sede central – Av. España 734, Breña", "150105"],
  ["Oficina de Tecnologías – Jr. Huiracocha 2150, Jesús María", "150113"],
  ["Jefatura Zonal de Arequipa – Calle Mercaderes 250", "040101"],
  ["Jefatura Zonal de Cusco – Av. El Sol 612", "080101"],
  ["Jefatura Zonal de Piura – Av. Grau 1020", "200101"],
];

type Perfil = {
  puesto: string;
  unidad: number;
  sede: number;
  remuneracion: number;
  formacion: string;
  general: string;
  especifica: string;
  cursos: string;
  conocimientos: string;
  competencias: string;
};

const PERFILES: Perfil[] = [
  { puesto: "Técnico en Archivo", unidad: 3, sede: 0, remuneracion: 2800, formacion: "Egresado(a) técnico en Archivística, Administración o afines.", general: "Dos (2) años en el sector público o privado.", especifica: "Un (1) año en labores de archivo o gestión documental.", cursos: "Curso de gestión documental o archivos (mínimo 24 horas).", conocimientos: "Sistema Nacional de Archivos; Ofimática a nivel básico.", competencias: "Orden, atención al detalle, trabajo en equipo." },
  { puesto: "Especialista en Gestión Migratoria", unidad: 2, sede: 0, remuneracion: 6500, formacion: "Título profesional en Derecho, Relaciones Internacionales o Administración.", general: "Cuatro (4) años en el sector público o privado.", especifica: "Dos (2) años en materia migratoria en el sector público.", cursos: "Diplomado en gestión pública o en derecho migratorio (mínimo 90 horas).", conocimientos: "Decreto Legislativo N.° 1350, Ley de Migraciones, y su reglamento.", competencias: "Análisis, orientación a resultados, vocación de servicio." },
  { puesto: "Analista de Soporte Informático", unidad: 1, sede: 1, remuneracion: 4200, formacion: "Bachiller en Ingeniería de Sistemas, Informática o afines.", general: "Tres (3) años en el sector público o privado.", especifica: "Un (1) año en soporte técnico a usuarios.", cursos: "Curso de ITIL Foundation o redes (mínimo 40 horas).", conocimientos: "Windows Server, Active Directory, redes LAN.", competencias: "Proactividad, comunicación efectiva." },
  { puesto: "Asistente Administrativo(a)", unidad: 3, sede: 0, remuneracion: 2500, formacion: "Estudios técnicos concluidos en Administración, Secretariado o afines.", general: "Dos (2) años en el sector público o privado.", especifica: "Un (1) año en labores administrativas.", cursos: "Curso de redacción administrativa (mínimo 12 horas).", conocimientos: "Ley N.° 27444, Ley del Procedimiento Administrativo General.", competencias: "Organización, trabajo bajo presión." },
  { puesto: "Abogado(a) Especialista en Contrataciones", unidad: 4, sede: 0, remuneracion: 7500, formacion: "Título profesional de Abogado(a), colegiado(a) y habilitado(a).", general: "Cinco (5) años en el sector público o privado.", especifica: "Tres (3) años en contrataciones del Estado.", cursos: "Certificación OSCE vigente; diplomado en contrataciones públicas.", conocimientos: "Ley N.° 32069, Ley General de Contrataciones Públicas.", competencias: "Razonamiento jurídico, integridad." },
  { puesto: "Inspector(a) Migratorio(a)", unidad: 2, sede: 2, remuneracion: 3800, formacion: "Bachiller universitario en cualquier especialidad.", general: "Dos (2) años en el sector público o privado.", especifica: "Un (1) año en control migratorio o atención al público.", cursos: "Curso de control migratorio o de documentos de viaje (mínimo 24 horas).", conocimientos: "Documentos de viaje y medidas de seguridad; inglés básico.", competencias: "Atención al detalle, ética, autocontrol." },
  { puesto: "Operador(a) de Atención al Ciudadano", unidad: 5, sede: 2, remuneracion: 2300, formacion: "Secundaria completa; deseable estudios técnicos.", general: "Un (1) año en el sector público o privado.", especifica: "Seis (6) meses en atención al público.", cursos: "Curso de atención al ciudadano (mínimo 12 horas).", conocimientos: "Ofimática a nivel básico.", competencias: "Vocación de servicio, empatía." },
  { puesto: "Especialista en Presupuesto Público", unidad: 3, sede: 0, remuneracion: 6800, formacion: "Título profesional en Economía, Contabilidad o Administración.", general: "Cuatro (4) años en el sector público o privado.", especifica: "Dos (2) años en presupuesto público.", cursos: "Diplomado en presupuesto público o gestión financiera (mínimo 90 horas).", conocimientos: "SIAF-SP, Decreto Legislativo N.° 1440.", competencias: "Análisis numérico, planificación." },
  { puesto: "Desarrollador(a) de Software", unidad: 1, sede: 1, remuneracion: 7000, formacion: "Título profesional en Ingeniería de Software, Sistemas o Informática.", general: "Cuatro (4) años en el sector público o privado.", especifica: "Tres (3) años desarrollando aplicaciones web.", cursos: "Curso de desarrollo seguro o arquitectura de software (mínimo 40 horas).", conocimientos: "TypeScript, PostgreSQL, control de versiones con Git.", competencias: "Aprendizaje continuo, trabajo en equipo." },
  { puesto: "Chofer", unidad: 3, sede: 0, remuneracion: 2200, formacion: "Secundaria completa; licencia de conducir A-IIb vigente.", general: "Tres (3) años en el sector público o privado.", especifica: "Dos (2) años como conductor(a).", cursos: "Curso de manejo defensivo (mínimo 8 horas).", conocimientos: "Reglamento Nacional de Tránsito; mecánica básica.", competencias: "Responsabilidad, puntualidad." },
  { puesto: "Comunicador(a) Social", unidad: 0, sede: 0, remuneracion: 4800, formacion: "Título profesional en Ciencias de la Comunicación o Periodismo.", general: "Tres (3) años en el sector público o privado.", especifica: "Dos (2) años en comunicación institucional.", cursos: "Curso de comunicación digital o redes sociales (mínimo 24 horas).", conocimientos: "Redacción periodística; diseño gráfico básico.", competencias: "Creatividad, comunicación efectiva." },
  { puesto: "Contador(a)", unidad: 3, sede: 3, remuneracion: 5200, formacion: "Título profesional de Contador(a) Público(a), colegiado(a) y habilitado(a).", general: "Cuatro (4) años en el sector público o privado.", especifica: "Dos (2) años en contabilidad gubernamental.", cursos: "Curso de contabilidad gubernamental (mínimo 40 horas).", conocimientos: "SIAF-SP; Normas Internacionales de Contabilidad del Sector Público.", competencias: "Rigurosidad, integridad." },
  { puesto: "Psicólogo(a) Organizacional", unidad: 0, sede: 0, remuneracion: 5000, formacion: "Título profesional en Psicología, colegiado(a) y habilitado(a).", general: "Tres (3) años en el sector público o privado.", especifica: "Dos (2) años en selección de personal o bienestar.", cursos: "Curso de gestión del talento humano (mínimo 40 horas).", conocimientos: "Ley N.° 30057, Ley del Servicio Civil.", competencias: "Escucha activa, confidencialidad." },
  { puesto: "Técnico(a) en Trámite Documentario", unidad: 7, sede: 4, remuneracion: 2600, formacion: "Estudios técnicos concluidos en Administración o afines.", general: "Dos (2) años en el sector público o privado.", especifica: "Un (1) año en mesa de partes o trámite documentario.", cursos: "Curso de gestión documental (mínimo 12 horas).", conocimientos: "Ley N.° 27444; Ofimática a nivel intermedio.", competencias: "Orden, vocación de servicio." },
  { puesto: "Especialista en Seguridad de la Información", unidad: 1, sede: 1, remuneracion: 8000, formacion: "Título profesional en Ingeniería de Sistemas o afines.", general: "Cinco (5) años en el sector público o privado.", especifica: "Tres (3) años en seguridad de la información.", cursos: "Curso de ISO/IEC 27001 (mínimo 40 horas).", conocimientos: "Gestión de riesgos; Ley N.° 29733, Ley de Protección de Datos Personales.", competencias: "Pensamiento analítico, ética." },
  { puesto: "Orientador(a) de Servicios Migratorios", unidad: 6, sede: 3, remuneracion: 2400, formacion: "Secundaria completa; deseable estudios técnicos en Turismo.", general: "Un (1) año en el sector público o privado.", especifica: "Seis (6) meses en orientación al usuario.", cursos: "Curso de atención al ciudadano (mínimo 12 horas).", conocimientos: "Inglés a nivel básico; Ofimática básica.", competencias: "Amabilidad, comunicación oral." },
];

type Estado = "borrador" | "proxima" | "abierta30" | "abierta" | "evaluacion" | "concluida" | "cancelada" | "desierta";
const PLAN: Estado[] = [
  ...Array<Estado>(4).fill("borrador"),
  ...Array<Estado>(4).fill("proxima"),
  ...Array<Estado>(3).fill("abierta30"),
  ...Array<Estado>(6).fill("abierta"),
  ...Array<Estado>(6).fill("evaluacion"),
  ...Array<Estado>(6).fill("concluida"),
  ...Array<Estado>(3).fill("cancelada"),
  ...Array<Estado>(3).fill("desierta"),
];

function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/)) {
    const next = line ? `${line} ${word}` : word;
    if (font.widthOfTextAtSize(next, size) > width && line) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  if (line) lines.push(line);
  return lines;
}

/** A small real PDF: a title and paragraphs, over as many pages as they need. */
export async function textoPdf(titulo: string, parrafos: string[]): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(titulo);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  let page = doc.addPage([595, 842]);
  let y = 780;
  for (const line of wrap(titulo, bold, 15, 495)) {
    page.drawText(line, { x: 50, y, size: 15, font: bold });
    y -= 20;
  }
  y -= 10;
  for (const p of parrafos) {
    for (const line of wrap(p, font, 11, 495)) {
      if (y < 60) {
        page = doc.addPage([595, 842]);
        y = 780;
      }
      page.drawText(line, { x: 50, y, size: 11, font });
      y -= 15;
    }
    y -= 8;
  }
  return doc.save();
}

function siglas(entityName: string): string {
  const words = normalizeSearch(entityName).split(" ").filter((w) => w.length > 3);
  return (words.length > 1 ? words.map((w) => w[0]).join("") : (words[0] ?? "entidad")).toUpperCase().slice(0, 12);
}

export async function seedDemoConvocatorias(services: Services): Promise<void> {
  const { db, storage, config, logger } = services;
  const [{ n } = { n: 0 }] = await db.select({ n: sql<number>`count(*)::int` }).from(convocatorias);
  if (n > 0) return;
  const now = services.clock.now();
  const year = now.getUTCFullYear();
  const sufijo = siglas(config.entityName);
  // The catalogue's defaults ("Obligatorio por defecto"), as the empty form chooses them.
  const documentos = await documentosElegidos(db, {});
  let abiertas = 0;
  for (const [i, estado] of PLAN.entries()) {
    const perfil = PERFILES[i % PERFILES.length]!;
    const [sede, ubigeo] = SEDES[perfil.sede]!;
    const codigo = `CAS N° ${String(PLAN.length - i).padStart(3, "0")}-${year}-${sufijo}`;
    // The application window, relative to now, by state.
    let inicio: Date;
    let fin: Date;
    switch (estado) {
      case "borrador":
      case "proxima":
        inicio = new Date(now.getTime() + (5 + i) * DAY);
        fin = new Date(inicio.getTime() + 7 * DAY);
        break;
      case "abierta30":
        inicio = new Date(now.getTime() - 60_000);
        fin = new Date(now.getTime() + 30 * DAY);
        break;
      case "abierta":
        abiertas++;
        inicio = new Date(now.getTime() - (3 + abiertas) * DAY);
        // One closes later today ("Último día"); the others within two weeks.
        fin = new Date(now.getTime() + (abiertas === 1 ? 2 * HOUR : abiertas * 2 * DAY));
        break;
      default:
        fin = new Date(now.getTime() - (3 + i) * DAY);
        inicio = new Date(fin.getTime() - 7 * DAY);
    }
    const etapas: { nombre: string; inicio: Date; fin: Date }[] = [
      { nombre: ETAPAS_POR_DEFECTO[0], inicio: new Date(inicio.getTime() - 10 * DAY), fin: inicio },
    ];
    etapas.push({ nombre: ETAPAS_POR_DEFECTO[1], inicio, fin });
    let cursor = fin;
    for (const [k, nombre] of ETAPAS_POR_DEFECTO.slice(2).entries()) {
      const start = new Date(cursor.getTime() + HOUR);
      const end = new Date(start.getTime() + (k === 4 ? 5 : 2) * DAY);
      etapas.push({ nombre, inicio: start, fin: end });
      cursor = end;
    }
    const bases = await textoPdf(`Bases del proceso ${codigo}`, [
      `${config.entityName} convoca el proceso de Contratación Administrativa de Servicios (CAS) para el puesto de ${perfil.puesto}, en ${UNIDADES[perfil.unidad]}.`,
      `Lugar de prestación: ${sede}. Remuneración mensual: S/ ${perfil.remuneracion.toFixed(2)}, con las afectaciones de ley.`,
      `Formación académica: ${perfil.formacion}`,
      `Experiencia general: ${perfil.general}`,
      `Experiencia específica: ${perfil.especifica}`,
      `Cursos y especialización: ${perfil.cursos}`,
      `Conocimientos: ${perfil.conocimientos}`,
      `Competencias: ${perfil.competencias}`,
      "Etapas: evaluación curricular (eliminatoria) y entrevista personal (eliminatoria). Se aplican las bonificaciones de ley: 10 % al personal licenciado de las Fuerzas Armadas, 15 % a la persona con discapacidad y la que corresponda al deportista calificado de alto nivel.",
      "La postulación se realiza únicamente en línea, en CAS Online, dentro del plazo del cronograma. No se reciben expedientes físicos.",
    ]);
    const stored = await storage.put(newStorageKey("bases"), bases);
    const publicada = estado !== "borrador";
    const row = {
      codigo,
      puesto: perfil.puesto,
      unidadOrganica: UNIDADES[perfil.unidad]!,
      vacantes: 1 + (i % 4),
      remuneracion: perfil.remuneracion.toFixed(2),
      tipoContrato: (["necesidad_transitoria", "indeterminado", "suplencia", "necesidad_transitoria", "confianza"] as const)[i % 5]!,
      sede,
      ubigeo,
      basesKey: stored.key,
      basesFilename: `bases-${codigo.replace(/[^A-Za-z0-9]+/g, "-").toLowerCase()}.pdf`,
      basesSize: stored.size,
      basesSha256: stored.sha256,
      estado: (["concluida", "cancelada", "desierta"].includes(estado) ? estado : publicada ? "publicada" : "borrador") as
        "publicada",
      motivo:
        estado === "cancelada"
          ? "Por restricciones presupuestales comunicadas por la Oficina de Planeamiento y Presupuesto."
          : estado === "desierta"
            ? "Ningún postulante alcanzó el puntaje mínimo aprobatorio en la entrevista personal."
            : null,
      publishedAt: publicada ? new Date(Math.min(now.getTime(), inicio.getTime() - 10 * DAY) - i * 60_000) : null,
      closedAt: ["concluida", "cancelada", "desierta"].includes(estado) ? new Date(now.getTime() - DAY) : null,
      postulacionInicio: inicio,
      postulacionFin: fin,
      busqueda: busquedaDe({ codigo, puesto: perfil.puesto, unidadOrganica: UNIDADES[perfil.unidad]! }),
    };
    await db.transaction(async (tx) => {
      const [inserted] = await tx.insert(convocatorias).values(row).returning({ id: convocatorias.id });
      await guardarPerfil(tx, inserted!.id, {
        formacionAcademica: perfil.formacion,
        experienciaGeneral: perfil.general,
        experienciaEspecifica: perfil.especifica,
        cursosEspecializacion: perfil.cursos,
        conocimientos: perfil.conocimientos,
        competencias: perfil.competencias,
      });
      await replaceEtapas(tx, inserted!.id, etapas.map((e, k) => ({ ...e, orden: k + 1, esPostulacion: k === 1 })));
      await replaceDocumentos(tx, inserted!.id, documentos);
    });
  }

  const FORMATOS = [
    ["Formato N.° 1 – Declaración jurada de datos personales", "Declaro bajo juramento que los datos personales consignados en mi postulación son verdaderos."],
    ["Formato N.° 2 – Declaración jurada de no tener impedimento para contratar con el Estado", "Declaro no tener impedimento para ser postor o contratista, ni estar inhabilitado(a) para contratar con el Estado."],
    ["Formato N.° 3 – Declaración jurada de no tener antecedentes penales, policiales ni judiciales", "Declaro no registrar antecedentes penales, policiales ni judiciales."],
    ["Formato N.° 4 – Declaración jurada de no estar inscrito en el REDAM", "Declaro no estar inscrito(a) en el Registro de Deudores Alimentarios Morosos (REDAM)."],
    ["Formato N.° 5 – Declaración jurada de nepotismo (Ley N.° 26771)", "Declaro no tener parentesco con funcionarios de la entidad que tengan facultad de nombrar o contratar personal."],
  ] as const;
  for (const [k, [titulo, texto]] of FORMATOS.entries()) {
    const pdf = await textoPdf(titulo, [
      texto,
      "Nombres y apellidos: ____________________________________________",
      "DNI / Carnet de extranjería: ______________________",
      "Lugar y fecha: ______________________          Firma: ______________________",
    ]);
    const stored = await storage.put(newStorageKey("declaraciones"), pdf);
    await db.insert(declaracionesJuradasFormatos).values({
      titulo,
      orden: k + 1,
      storageKey: stored.key,
      filename: `formato-${k + 1}.pdf`,
      contentType: "application/pdf",
      size: stored.size,
      sha256: stored.sha256,
    });
  }
  logger.info({ convocatorias: PLAN.length, formatos: FORMATOS.length }, "demo convocatorias seeded");
}
